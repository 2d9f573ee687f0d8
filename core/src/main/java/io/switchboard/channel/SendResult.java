package io.switchboard.channel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one send attempt.
 *
 * <p><b>Messages sent in several parts.</b> A channel may need several provider messages for
 * one message (a text over the provider's length limit, a text that cannot be the caption of
 * an audio file, several files). The sender reports the provider ids of the parts that went
 * out in {@code sentParts} / {@code partSourceIds}, in order and including those of earlier
 * attempts; Switchboard stores them (in {@link OutboundMessage#PART_SOURCE_IDS}) before the
 * job is retried, and the next attempt finds them in {@link OutboundMessage#sentParts()} so
 * that it sends only the parts still missing. A part the provider gave no id for is listed
 * as an empty string.
 */
public sealed interface SendResult {

  /**
   * The provider accepted the message.
   *
   * @param sourceId the provider's id for it (the first part's id when it went out in
   *     several parts), or null when the provider gives none
   * @param partSourceIds the ids of every part, in order, when the message went out as
   *     several provider messages; empty for a message sent as one
   */
  record Sent(String sourceId, List<String> partSourceIds) implements SendResult {
    public Sent {
      partSourceIds = List.copyOf(partSourceIds);
    }

    /** A message sent as one provider message. */
    public Sent(String sourceId) {
      this(sourceId, List.of());
    }
  }

  /**
   * A failure worth retrying (timeout, connection refused, 429, 5xx).
   *
   * @param error what happened, without secrets
   * @param retryAfter the provider's requested delay, or null to use the backoff policy
   * @param sentParts the ids of the parts already sent (see the type's documentation); the
   *     next attempt skips them
   */
  record Retry(String error, Duration retryAfter, List<String> sentParts)
      implements SendResult {
    public Retry {
      Objects.requireNonNull(error, "error");
      sentParts = List.copyOf(sentParts);
    }

    /** A retryable failure before any part went out. */
    public Retry(String error, Duration retryAfter) {
      this(error, retryAfter, List.of());
    }
  }

  /**
   * A failure that will not change by retrying (a 4xx with the provider's message, the
   * contact blocked the bot, outside the customer-service window…).
   *
   * @param code the provider's error code, or null
   * @param error the provider's message, stored as the message's {@code external_error}
   * @param reauthorizationRequired the credentials were rejected: the inbox is marked as
   *     needing re-authorization and an {@code inbox.updated} event is emitted
   * @param contactBlocked the contact refuses messages from this inbox (Telegram: the user
   *     blocked the bot): its contact inbox gets {@code blocked_at} and a {@code
   *     contact.updated} event is emitted, in the transaction that fails the message
   * @param sentParts the ids of the parts that went out before the failure (see the type's
   *     documentation); kept on the failed message
   */
  record Failed(String code, String error, boolean reauthorizationRequired,
      boolean contactBlocked, List<String> sentParts) implements SendResult {
    public Failed {
      Objects.requireNonNull(error, "error");
      sentParts = List.copyOf(sentParts);
    }

    /** A permanent failure before any part went out. */
    public Failed(String code, String error, boolean reauthorizationRequired) {
      this(code, error, reauthorizationRequired, false, List.of());
    }
  }

  /**
   * This outcome once the parts {@code sentParts} went out: a retry or a failure carries
   * them; a success becomes {@link #sentInParts} of them (unchanged when none is given).
   */
  default SendResult afterParts(List<String> sentParts) {
    if (this instanceof Retry r) {
      return new Retry(r.error(), r.retryAfter(), sentParts);
    }
    if (this instanceof Failed f) {
      return new Failed(f.code(), f.error(), f.reauthorizationRequired(), f.contactBlocked(),
          sentParts);
    }
    return sentParts.isEmpty() ? this : sentInParts(sentParts);
  }

  /**
   * A success after these parts went out, in order: the source id is the first part's, and
   * the ids are kept when there are several.
   */
  static SendResult sentInParts(List<String> partSourceIds) {
    String first = partSourceIds.isEmpty() || partSourceIds.get(0).isEmpty() ? null
        : partSourceIds.get(0);
    return new Sent(first, partSourceIds.size() > 1 ? partSourceIds : List.of());
  }

  static SendResult sent(String sourceId) {
    return new Sent(sourceId);
  }

  static SendResult retry(String error, Duration retryAfter) {
    return new Retry(error, retryAfter);
  }

  static SendResult failed(String code, String error) {
    return new Failed(code, error, false);
  }

  /** A permanent failure because the contact blocked messages from the inbox. */
  static SendResult contactBlocked(String code, String error) {
    return new Failed(code, error, false, true, List.of());
  }
}
