package io.switchboard.internal;

import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
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
    Message saved = tx.store().insertMessage(message);
    Conversation.Builder b = conversation.toBuilder().updatedAt(tx.now());
    if (saved.messageType() != MessageType.ACTIVITY && !saved.privateNote()) {
      b.lastActivityAt(saved.createdAt());
    }
    if (saved.messageType() == MessageType.INCOMING && conversation.waitingSince() == null) {
      b.waitingSince(saved.createdAt());
    }
    boolean humanReply = saved.messageType() == MessageType.OUTGOING && !saved.privateNote()
        && saved.senderType() == SenderType.USER;
    boolean firstReply = humanReply && conversation.firstReplyCreatedAt() == null;
    if (humanReply) {
      b.waitingSince(null);
    }
    if (firstReply) {
      b.firstReplyCreatedAt(saved.createdAt());
    }
    Conversation updated = b.build();
    // the activity columns only: the caller stored any other change of the conversation
    tx.store().updateConversationActivity(updated);
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
