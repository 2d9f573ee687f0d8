package io.switchboard.internal;

import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import java.util.List;
import java.util.Map;

/**
 * Creates messages, whatever path they come by: inserts the row, keeps the conversation's
 * activity fields, emits {@code message.created} (and {@code first.reply.created}), and queues
 * the send job of a message that must go out, all in the caller's transaction.
 */
public final class MessageWriter {

  private MessageWriter() {}

  /** A stored message and the conversation as updated by it. */
  public record Written(Message message, Conversation conversation) {}

  /** Whether Switchboard must send this message to the provider. */
  public static boolean mustSend(Message m) {
    return (m.messageType() == MessageType.OUTGOING || m.messageType() == MessageType.TEMPLATE)
        && !m.privateNote()
        && m.sourceId() == null
        && m.status() == MessageStatus.SENT;
  }

  public static Written write(WriteTx tx, Conversation conversation, Message message,
      Actor performer) {
    return write(tx, conversation, message, performer, null);
  }

  /**
   * Writes the message as {@link #write(WriteTx, Conversation, Message, Actor)} does, and
   * sets {@code sender}'s last activity to the message's time in the same store call (one
   * round trip where the store can), unless {@code sender} is null.
   */
  public static Written write(WriteTx tx, Conversation conversation, Message message,
      Actor performer, Contact sender) {
    Conversation.Builder b = conversation.toBuilder().updatedAt(tx.now());
    if (message.messageType() != MessageType.ACTIVITY && !message.privateNote()) {
      b.lastActivityAt(message.createdAt());
    }
    if (message.messageType() == MessageType.INCOMING && conversation.waitingSince() == null) {
      b.waitingSince(message.createdAt());
    }
    boolean humanReply = message.messageType() == MessageType.OUTGOING
        && !message.privateNote() && message.senderType() == SenderType.USER;
    boolean firstReply = humanReply && conversation.firstReplyCreatedAt() == null;
    if (humanReply) {
      b.waitingSince(null);
    }
    if (firstReply) {
      b.firstReplyCreatedAt(message.createdAt());
    }
    Conversation updated = b.build();
    // the activity columns only: the caller stored any other change of the conversation
    Message saved = tx.store().insertMessageWithActivity(message, updated, sender);
    tx.emit(EventType.MESSAGE_CREATED, saved.accountId(), saved.inboxId(),
        saved.conversationId(), saved, Map.of(), performer);
    if (firstReply) {
      tx.emit(EventType.FIRST_REPLY_CREATED, saved.accountId(), saved.inboxId(),
          saved.conversationId(), saved, Map.of(), performer);
    }
    if (saved.attachments().stream().anyMatch(io.switchboard.model.Attachment::pendingFetch)) {
      tx.enqueue(Jobs.FETCH, null, saved.accountId(),
          new MessageJob(saved.accountId(), saved.id()).payload(), tx.now());
    }
    if (mustSend(saved)) {
      tx.enqueue(Jobs.SEND, null, saved.accountId(),
          new MessageJob(saved.accountId(), saved.id()).payload(), tx.now());
    }
    return new Written(saved, updated);
  }

  /** Writes an activity message ("Conversation was marked resolved by Anna"). */
  public static Written activity(WriteTx tx, Conversation conversation, String text,
      Actor performer) {
    Message m = new Message(0, conversation.accountId(), conversation.inboxId(),
        conversation.id(), MessageType.ACTIVITY, ContentType.TEXT, text, Map.of(), false,
        MessageStatus.SENT, null, SenderType.SYSTEM, null, List.of(), tx.now(), tx.now());
    return write(tx, conversation, m, performer);
  }
}
