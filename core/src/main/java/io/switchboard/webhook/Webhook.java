package io.switchboard.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An account webhook. Its secret is write-only: it is given in a {@link WebhookDraft} and never
 * returned, logged or put in an event.
 *
 * @param id the webhook id
 * @param accountId the account whose events it receives
 * @param url where deliveries are POSTed
 * @param subscriptions the events it receives
 * @param enabled false once disabled, by the host or after too many failed deliveries in a row
 * @param consecutiveFailures failed deliveries since the last successful one
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
public record Webhook(long id, long accountId, String url, Set<WebhookEvent> subscriptions,
    boolean enabled, int consecutiveFailures, Instant createdAt, Instant updatedAt) {

  public Webhook {
    Objects.requireNonNull(url, "url");
    subscriptions = Set.copyOf(Objects.requireNonNull(subscriptions, "subscriptions"));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether it wants {@code event}. */
  public boolean subscribedTo(WebhookEvent event) {
    return enabled && subscriptions.contains(event);
  }
}
