package io.switchboard.channel;

import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a sender needs to deliver one outgoing message.
 *
 * @param inbox the inbox, with its settings
 * @param conversation the conversation
 * @param contact the recipient
 * @param contactInbox the recipient's identity in the inbox (its source id is the address)
 * @param message the message to send
 * @param inReplyTo the message it replies to, or null
 * @param attempt 1 for the first try, then 2, 3…
 * @param lastIncomingAt when the contact last wrote in this inbox (its newest incoming message
 *     in any conversation of the contact inbox), or null when it never did; channels with a
 *     customer-service window (WhatsApp's 24 hours) check free-form messages against it
 */
public record OutboundMessage(Inbox inbox, Conversation conversation, Contact contact,
    ContactInbox contactInbox, Message message, Message inReplyTo, int attempt,
    Instant lastIncomingAt) {

  /**
   * The content attribute holding the provider ids of the parts of a message that went out
   * as several provider messages (see {@link SendResult}).
   */
  public static final String PART_SOURCE_IDS = "part_source_ids";

  /** An outbound message without a known last incoming time. */
  public OutboundMessage(Inbox inbox, Conversation conversation, Contact contact,
      ContactInbox contactInbox, Message message, Message inReplyTo, int attempt) {
    this(inbox, conversation, contact, contactInbox, message, inReplyTo, attempt, null);
  }

  public OutboundMessage {
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(contactInbox, "contactInbox");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The provider ids of the parts an earlier attempt already sent, in order (see {@link
   * SendResult}); empty on a first attempt. The sender sends only the parts after these.
   */
  public List<String> sentParts() {
    Object ids = message.contentAttributes().get(PART_SOURCE_IDS);
    if (!(ids instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(id -> id == null ? "" : id.toString()).toList();
  }
}
