package io.switchboard.channel;

import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.util.Map;
import java.util.Optional;

/**
 * A channel module's entry point, registered on {@code Switchboard.Builder.channel}. One
 * provider per channel type.
 */
public interface ChannelProvider {

  /** The channel type this provider serves. */
  ChannelType type();

  /**
   * Called once when the provider is registered, before any other call.
   *
   * @param context the shared HTTP client, clock and blob store
   */
  default void init(ChannelContext context) {}

  /**
   * Checks an inbox's settings before the inbox is created or updated.
   *
   * @throws io.switchboard.ValidationException naming the missing or malformed setting
   */
  default void validateSettings(Map<String, String> settings) {}

  /**
   * The routing key of an inbox with these settings (see {@link InboxDirectory}), or null when
   * the channel routes otherwise.
   */
  default String routingKey(Map<String, String> settings) {
    return null;
  }

  /** The parser for this channel's webhooks, when the channel receives webhooks. */
  default Optional<WebhookParser> webhookParser() {
    return Optional.empty();
  }

  /** The sender for outgoing messages of {@code inbox}. */
  ChannelSender sender(Inbox inbox);

  /**
   * Downloads an attachment that a parser marked with {@link
   * io.switchboard.model.Attachment#PENDING_FETCH} in its meta (a WhatsApp media id, a Telegram
   * file id) into the blob store, and returns the attachment with its {@code blobKey} (and
   * size, content type) set. Called by a background worker after the message is stored, never
   * on the webhook's thread; an exception is retried with backoff, and the message stays
   * stored meanwhile. A file that must not be fetched (too large) is returned with a note in
   * its meta and no blob key.
   */
  default io.switchboard.model.Attachment fetchAttachment(Inbox inbox,
      io.switchboard.model.Attachment attachment) throws Exception {
    throw new UnsupportedOperationException(type().wireName() + " fetches no attachments");
  }
}
