package io.switchboard.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One event delivered (or being delivered) to one webhook or agent bot: a line of the delivery
 * log. The body is not kept here: it may hold message content.
 *
 * @param id the delivery id, sent as {@code X-Switchboard-Delivery} on every attempt
 * @param accountId the account
 * @param targetId the webhook or agent bot id
 * @param agentBot whether the target is an agent bot
 * @param event the payload's {@code event}, for example {@code message_created}
 * @param eventId the id of the Switchboard event it carries
 * @param status pending, delivered or failed
 * @param attempts every attempt, oldest first
 * @param lastStatusCode the HTTP status of the last attempt, or null (none yet, timeout)
 * @param lastError the last failure, or null
 * @param createdAt when it was queued
 * @param updatedAt when it last changed
 */
public record WebhookDelivery(String id, long accountId, long targetId, boolean agentBot,
    String event, String eventId, DeliveryStatus status, List<Attempt> attempts,
    Integer lastStatusCode, String lastError, Instant createdAt, Instant updatedAt) {

  public WebhookDelivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(status, "status");
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  /**
   * One attempt.
   *
   * @param number 1, 2, 3…
   * @param statusCode the receiver's HTTP status, or null when there was none (timeout,
   *     refused connection, refused address)
   * @param error what went wrong, or null for a 2xx
   * @param at when it was made
   */
  public record Attempt(int number, Integer statusCode, String error, Instant at) {
    public Attempt {
      Objects.requireNonNull(at, "at");
    }
  }
}
