package io.switchboard.channel.api;

import io.switchboard.ValidationException;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.ChannelSender;
import io.switchboard.internal.UrlGuard;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The API channel provider.
 *
 * <p>Settings of an API inbox:
 * <ul>
 *   <li>{@code webhook_url}: where outgoing messages are POSTed (optional: without it,
 *       outgoing messages are only stored);
 *   <li>{@code webhook_secret}: the HMAC-SHA256 key of the {@code X-Switchboard-Signature}
 *       header (required with {@code webhook_url}).
 * </ul>
 *
 * <p>Each outgoing message is POSTed as JSON ({@code event: "message_created"}, the message,
 * its conversation, contact and inbox) with the headers {@code X-Switchboard-Timestamp}
 * (seconds since the epoch), {@code X-Switchboard-Delivery} (the same on every retry) and
 * {@code X-Switchboard-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}.
 * A 2xx answer marks the message sent; a JSON answer with {@code source_id} stores that id on
 * the message so that later status updates can find it. Timeouts, 408, 429 (honouring
 * {@code Retry-After}) and 5xx are retried with backoff; other 4xx fail the message with the
 * receiver's answer.
 *
 * <p>Like account webhooks, a {@code webhook_url} whose host resolves to a loopback, private
 * or link-local address is refused when the inbox is saved and again at every send (a
 * permanent failure), unless {@code Switchboard.Builder.allowPrivateNetworkWebhooks(true)};
 * redirects are not followed.
 */
public final class ApiChannel implements ChannelProvider {
  /** The setting holding the receiver's URL. */
  public static final String WEBHOOK_URL = "webhook_url";
  /** The setting holding the signing secret. */
  public static final String WEBHOOK_SECRET = "webhook_secret";

  private volatile ChannelContext context;
  private volatile UrlGuard guard = new UrlGuard(false);
  private volatile OkHttpClient http;

  private ApiChannel() {}

  /** A new API channel provider, to register on {@code Switchboard.builder().channel(...)}. */
  public static ApiChannel create() {
    return new ApiChannel();
  }

  @Override
  public ChannelType type() {
    return ChannelType.API;
  }

  @Override
  public void init(ChannelContext context) {
    UrlGuard contextGuard = new UrlGuard(context.allowPrivateNetworkWebhooks());
    this.http = contextGuard.restrict(context.http().newBuilder()).build();
    this.guard = contextGuard;
    this.context = context;
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    String url = settings.get(WEBHOOK_URL);
    if (url == null) {
      return;
    }
    if (HttpUrl.parse(url) == null) {
      throw new ValidationException(WEBHOOK_URL, "is not an http(s) URL");
    }
    guard.check(WEBHOOK_URL, url);
    String secret = settings.get(WEBHOOK_SECRET);
    if (secret == null || secret.length() < 16) {
      throw new ValidationException(WEBHOOK_SECRET,
          "is required with webhook_url and must have at least 16 characters");
    }
  }

  @Override
  public ChannelSender sender(Inbox inbox) {
    ChannelContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("ApiChannel is not registered on a Switchboard");
    }
    return new ApiSender(ctx.clock(), http, guard);
  }
}
