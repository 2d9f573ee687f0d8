package io.switchboard.webhook;

import io.switchboard.internal.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Signs and verifies Switchboard webhook deliveries, for receivers written in Java.
 *
 * <p>The signature is {@code sha256=} followed by the lower-case hex HMAC-SHA256, keyed with
 * the webhook's secret, of the {@code X-Switchboard-Timestamp} value, a dot, and the raw
 * request body.
 *
 * <pre>{@code
 * boolean ok = WebhookSignatures.verify(secret,
 *     request.getHeader("X-Switchboard-Timestamp"), rawBody,
 *     request.getHeader("X-Switchboard-Signature"), Duration.ofMinutes(5));
 * }</pre>
 */
public final class WebhookSignatures {
  /** The signature header. */
  public static final String SIGNATURE_HEADER = "X-Switchboard-Signature";
  /** The timestamp header: seconds since the epoch. */
  public static final String TIMESTAMP_HEADER = "X-Switchboard-Timestamp";
  /** The delivery id header: the same on every retry of one delivery. */
  public static final String DELIVERY_HEADER = "X-Switchboard-Delivery";

  private WebhookSignatures() {}

  /** The {@code sha256=…} value of the signature header for {@code body} sent at {@code timestamp}. */
  public static String sign(String secret, String timestamp, byte[] body) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, data, 0, prefix.length);
    System.arraycopy(body, 0, data, prefix.length, body.length);
    return "sha256=" + Hmac.sha256Hex(secret, data);
  }

  /**
   * Whether the signature is the secret's over this timestamp and body, compared in constant
   * time, and the timestamp is within {@code tolerance} of now. Any missing or malformed value
   * gives false, never an exception.
   */
  public static boolean verify(String secret, String timestampHeader, byte[] body,
      String signatureHeader, Duration tolerance) {
    return verify(secret, timestampHeader, body, signatureHeader, tolerance, Clock.systemUTC());
  }

  /** {@link #verify(String, String, byte[], String, Duration)} against the given clock. */
  public static boolean verify(String secret, String timestampHeader, byte[] body,
      String signatureHeader, Duration tolerance, Clock clock) {
    if (secret == null || timestampHeader == null || body == null || signatureHeader == null
        || tolerance == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestampHeader.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    Duration age = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
    if (age.compareTo(tolerance) > 0) {
      return false;
    }
    return Hmac.constantTimeEquals(sign(secret, timestampHeader.strip(), body),
        signatureHeader.strip());
  }
}
