package io.switchboard.channel;

import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.util.Optional;

/**
 * Lets a parser find the inbox a webhook is for, by the routing key the provider puts in the
 * request (WhatsApp {@code phone_number_id}, the Telegram bot's webhook id, an inbound email
 * address…). A parser uses it to pick the secret to verify the request with.
 */
@FunctionalInterface
public interface InboxDirectory {
  /** The inbox of {@code channelType} whose routing key is {@code routingKey}. */
  Optional<Inbox> findByRoutingKey(ChannelType channelType, String routingKey);
}
