package io.switchboard.channel;

import java.time.Duration;
import java.util.Objects;

/** The outcome of one send attempt. */
public sealed interface SendResult {

  /**
   * The provider accepted the message.
   *
   * @param sourceId the provider's id for it, or null when the provider gives none
   */
  record Sent(String sourceId) implements SendResult {}

  /**
   * A failure worth retrying (timeout, connection refused, 429, 5xx).
   *
   * @param error what happened, without secrets
   * @param retryAfter the provider's requested delay, or null to use the backoff policy
   */
  record Retry(String error, Duration retryAfter) implements SendResult {
    public Retry {
      Objects.requireNonNull(error, "error");
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
   */
  record Failed(String code, String error, boolean reauthorizationRequired) implements SendResult {
    public Failed {
      Objects.requireNonNull(error, "error");
    }
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
}
