package io.switchboard.store;

import io.switchboard.model.Inbox;
import java.util.Objects;

/**
 * An inbox found by the routing key a provider's webhook presents, with what the events of
 * its messages need to know before they are queued for webhooks: whether the account has a
 * webhook and the inbox an agent bot. Read in the one statement that finds the inbox, so that
 * a webhook's processing does not ask again.
 *
 * @param inbox the inbox
 * @param accountHasWebhooks whether the inbox's account has at least one webhook
 * @param inboxHasAgentBot whether the inbox has an agent bot
 */
public record RoutedInbox(Inbox inbox, boolean accountHasWebhooks, boolean inboxHasAgentBot) {
  public RoutedInbox {
    Objects.requireNonNull(inbox, "inbox");
  }
}
