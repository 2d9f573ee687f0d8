package io.switchboard.channel.email;

import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * Tells the TLS failures that retrying cannot mend (a certificate that is not trusted or does
 * not name the host, a server without the required STARTTLS) from the rest, and says what
 * happened in words an operator can act on.
 */
final class TlsFailure {
  private TlsFailure() {}

  /**
   * What went wrong, or null when {@code e} is not one of these TLS failures.
   *
   * @param protocol {@code SMTP} or {@code IMAP}
   */
  static String describe(Throwable e, String protocol, String host, int port) {
    String server = protocol + " server " + host + ":" + port;
    int depth = 0;
    for (Throwable x = e; x != null && depth < 20; x = x.getCause(), depth++) {
      String message = x.getMessage() == null ? "" : x.getMessage();
      if (message.contains("STARTTLS") && message.contains("required")) {
        return "the " + server + " does not offer STARTTLS, which "
            + protocol.toLowerCase(Locale.ROOT) + "_security=starttls requires";
      }
      if (message.startsWith("Server identity does not match")
          || (x instanceof CertificateException && (message.contains("subject alternative")
              || message.startsWith("No name matching")))) {
        return "the certificate of the " + server + " does not name the host " + host;
      }
      if (x instanceof CertificateException) {
        return "the certificate of the " + server + " is not trusted (" + message
            + "); for a private CA, give EmailChannel.builder().tls(...) a context that trusts it";
      }
    }
    return null;
  }
}
