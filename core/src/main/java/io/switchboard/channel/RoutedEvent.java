package io.switchboard.channel;

import io.switchboard.model.Inbox;
import java.util.Objects;

/**
 * An inbound event together with the inbox it belongs to.
 *
 * @param accountId the inbox's account
 * @param inboxId the inbox
 * @param event the event
 */
public record RoutedEvent(long accountId, long inboxId, InboundEvent event) {
  public RoutedEvent {
    Objects.requireNonNull(event, "event");
  }

  /** The event for {@code inbox}. */
  public static RoutedEvent of(Inbox inbox, InboundEvent event) {
    return new RoutedEvent(inbox.accountId(), inbox.id(), event);
  }
}
