package io.switchboard.webhook;

import io.switchboard.ValidationException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a webhook is created or updated with.
 *
 * @param url an {@code http} or {@code https} URL; hosts on loopback, private or link-local
 *     addresses are refused unless the host allowed them
 * @param secret the HMAC key of the signatures, at least 16 characters
 * @param subscriptions the events to receive, at least one
 * @param enabled whether deliveries are made; updating to true re-enables a disabled webhook
 */
public record WebhookDraft(String url, String secret, Set<WebhookEvent> subscriptions,
    boolean enabled) {

  public WebhookDraft {
    if (url == null || url.isBlank()) {
      throw new ValidationException("url", "is required");
    }
    if (secret == null || secret.length() < 16) {
      throw new ValidationException("secret", "must have at least 16 characters");
    }
    Objects.requireNonNull(subscriptions, "subscriptions");
    if (subscriptions.isEmpty()) {
      throw new ValidationException("subscriptions", "must name at least one event");
    }
    subscriptions = Set.copyOf(subscriptions);
  }

  /** An enabled webhook for {@code events}. */
  public static WebhookDraft of(String url, String secret, WebhookEvent... events) {
    return new WebhookDraft(url, secret, events.length == 0 ? Set.of()
        : EnumSet.of(events[0], events), true);
  }

  /** An enabled webhook for every event. */
  public static WebhookDraft all(String url, String secret) {
    return new WebhookDraft(url, secret, EnumSet.allOf(WebhookEvent.class), true);
  }

  /** Prints the URL and subscriptions, never the secret. */
  @Override
  public String toString() {
    return "WebhookDraft[url=" + url + ", subscriptions=" + subscriptions + ", enabled=" + enabled + "]";
  }
}
