package io.switchboard.internal;

import io.switchboard.ValidationException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Refuses webhook URLs whose host resolves to a loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), link-local, multicast or unspecified address, unless allowed.
 */
public final class UrlGuard {
  private final boolean allowPrivate;

  public UrlGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Checks the URL's form and, unless private networks are allowed, every address of its host. */
  public void check(String url) {
    check("url", url);
  }

  /** As {@link #check(String)}, naming {@code field} in the error. */
  public void check(String field, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new ValidationException(field, "is not a valid URL");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new ValidationException(field, "must be an http or https URL with a host");
    }
    if (allowPrivate) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      throw new Unresolved(field, "host " + uri.getHost() + " does not resolve");
    }
    for (InetAddress address : addresses) {
      if (refused(address)) {
        throw new ValidationException(field, "host " + uri.getHost() + " resolves to "
            + address.getHostAddress() + ", a loopback, private or link-local address; "
            + "allow it with Switchboard.Builder.allowPrivateNetworkWebhooks(true)");
      }
    }
  }

  /** The URL's host did not resolve: maybe for a moment only. */
  public static final class Unresolved extends ValidationException {
    Unresolved(String field, String message) {
      super(field, message);
    }
  }

  /**
   * Restricts a client that posts to URLs users configured: it follows no redirects (a
   * redirect could lead anywhere) and, unless private networks are allowed, checks every
   * address again at connect time (a name may resolve elsewhere than when it was saved).
   */
  public OkHttpClient.Builder restrict(OkHttpClient.Builder client) {
    client.followRedirects(false).followSslRedirects(false);
    if (!allowPrivate) {
      client.dns(host -> {
        List<InetAddress> all = Dns.SYSTEM.lookup(host);
        for (InetAddress a : all) {
          if (refused(a)) {
            throw new UnknownHostException(host + " resolves to a refused address");
          }
        }
        return all;
      });
    }
    return client;
  }

  static boolean refused(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress()
        || a.isSiteLocalAddress() || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // fc00::/7 unique local
      }
      boolean v4Mapped = true;
      for (int i = 0; i < 10; i++) {
        v4Mapped &= b[i] == 0;
      }
      if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return refused(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return true;
        }
      }
      return false;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 || first == 10 || first == 127 || (first == 172 && second >= 16 && second < 32)
        || (first == 192 && second == 168) || (first == 169 && second == 254)
        || (first == 100 && second >= 64 && second < 128);
  }
}
