package io.switchboard;

import io.switchboard.internal.Cursors;
import io.switchboard.internal.Engine;
import io.switchboard.internal.IncomingPipeline;
import io.switchboard.internal.MessageWriter;
import io.switchboard.internal.Templates;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Messages: replies, private notes, listing and status updates. Thread-safe; get it from
 * {@link Switchboard#messages()}.
 *
 * <p>A reply is stored together with a durable send job in one transaction and
 * {@code message.created} is emitted; the channel's sender runs later on a worker thread. A
 * send that fails for good marks the message {@code failed} with the provider's error in
 * {@code external_error}.
 */
public final class MessageService {
  private final Engine engine;
  private final int floodLimit;

  MessageService(Engine engine, int floodLimit) {
    this.engine = engine;
    this.floodLimit = floodLimit;
  }

  /**
   * Sends a message to the conversation's contact (or, with {@code privateNote}, stores an
   * internal note). The performer is the agent or bot writing it.
   *
   * <p>The message it answers is given by {@link MessageDraft#inReplyTo}; an
   * {@code in_reply_to} content attribute is read the same way (the id of a message of this
   * conversation), and {@code in_reply_to_external_id} is always derived from that message,
   * never taken from the draft. A draft with a {@link MessageDraft#sourceId} the inbox already
   * has (an echo stored twice) returns the stored message and emits nothing.
   *
   * @throws ValidationException for content over 150,000 characters, more than 15 attachments,
   *     neither content nor attachments, an {@code in_reply_to} that is not a message id, or a
   *     contact as performer (a contact's messages come in through
   *     {@link IncomingService#receive})
   * @throws NotFoundException when the conversation, or the message answered, is not in it
   * @throws RateLimitedException when the conversation already got the flood limit's number of
   *     messages (200 by default) in the last minute
   */
  public Message reply(long accountId, long conversationId, MessageDraft draft, Actor performer) {
    Objects.requireNonNull(draft, "draft");
    Objects.requireNonNull(performer, "performer");
    validate(draft.content(), draft.attachments());
    if (performer.type() == SenderType.CONTACT) {
      throw new ValidationException("performer", "a contact's message is received "
          + "(incoming().receive), not replied");
    }
    Map<String, Object> requested = new LinkedHashMap<>(draft.contentAttributes());
    requested.remove("in_reply_to_external_id");
    Long inReplyTo = inReplyTo(draft.inReplyTo(), requested.remove("in_reply_to"));
    return engine.write(tx -> {
      Conversation c = tx.store().lockConversation(accountId, conversationId)
          .orElseThrow(() -> new NotFoundException("conversation", accountId, conversationId));
      if (draft.sourceId() != null) {
        Optional<Message> stored = tx.store().findMessageBySourceId(accountId, c.inboxId(),
            draft.sourceId());
        if (stored.isPresent()) {
          return stored.get();
        }
      }
      if (floodLimit > 0 && tx.store().countMessagesSince(accountId, c.id(),
          tx.now().minus(Duration.ofMinutes(1))) >= floodLimit) {
        throw new RateLimitedException(c.id(), floodLimit);
      }
      Map<String, Object> attributes = new LinkedHashMap<>(requested);
      if (inReplyTo != null) {
        Message target = tx.store().findMessage(accountId, inReplyTo)
            .filter(m -> m.conversationId() == c.id())
            .orElseThrow(() -> new NotFoundException("message", accountId, inReplyTo));
        attributes.put("in_reply_to", target.id());
        if (target.sourceId() != null) {
          attributes.put("in_reply_to_external_id", target.sourceId());
        }
      }
      String content = draft.content();
      if (content != null && content.contains("{{")) {
        Inbox inbox = tx.store().findInbox(accountId, c.inboxId()).orElseThrow();
        Contact contact = tx.store().findContact(accountId, c.contactId()).orElseThrow();
        content = Templates.render(content, contact, performer, c, inbox);
        validate(content, draft.attachments());
      }
      List<Attachment> attachments = new ArrayList<>();
      for (Attachment a : draft.attachments()) {
        attachments.add(new Attachment(0, accountId, 0, a.fileType(), a.externalUrl(),
            a.blobKey(), a.fileName(), a.contentType(), a.fileSize(), a.latitude(),
            a.longitude(), a.meta()));
      }
      SenderType senderType = performer.type();
      Message message = new Message(0, accountId, c.inboxId(), c.id(), MessageType.OUTGOING,
          draft.contentType(), content, attributes, draft.privateNote(), MessageStatus.SENT,
          draft.sourceId(), senderType, performer.id(), attachments, tx.now(), tx.now());
      return MessageWriter.write(tx, c, message, performer).message();
    });
  }

  private static Long inReplyTo(Long given, Object attribute) {
    if (given != null || attribute == null) {
      return given;
    }
    if (attribute instanceof Number n && n.longValue() == n.doubleValue()) {
      return n.longValue();
    }
    try {
      return Long.parseLong(attribute.toString().strip());
    } catch (NumberFormatException e) {
      throw new ValidationException("in_reply_to", "must be the id of a message of the "
          + "conversation");
    }
  }

  /** Stores a private note: visible to agents only, never sent. */
  public Message note(long accountId, long conversationId, String content, Actor performer) {
    return reply(accountId, conversationId,
        MessageDraft.builder().content(content).privateNote(true).build(), performer);
  }

  /** The message, or {@link NotFoundException}. */
  public Message get(long accountId, long messageId) {
    return engine.tx(tx -> tx.findMessage(accountId, messageId))
        .orElseThrow(() -> new NotFoundException("message", accountId, messageId));
  }

  /**
   * A conversation's messages, the newest {@code limit} first fetched and returned oldest
   * first; the cursor pages further back in time.
   */
  public Page<Message> list(long accountId, long conversationId, String cursor, int limit) {
    int size = Cursors.limit(limit);
    long before = cursor == null ? Long.MAX_VALUE : Cursors.decodeId(cursor);
    List<Message> rows = engine.tx(tx -> {
      tx.findConversation(accountId, conversationId)
          .orElseThrow(() -> new NotFoundException("conversation", accountId, conversationId));
      return tx.listMessages(accountId, conversationId, before, size + 1);
    });
    boolean more = rows.size() > size;
    List<Message> page = new ArrayList<>(more ? rows.subList(0, size) : rows);
    java.util.Collections.reverse(page);
    return new Page<>(page, more ? Cursors.encodeId(page.get(0).id()) : null);
  }

  /**
   * Applies a status reported from outside (delivered, read, failed). Statuses only move
   * forward; {@code failed} requires the provider's error. Emits {@code message.updated} when
   * the status changed. Returns the message as it is now.
   */
  public Message updateStatus(long accountId, long messageId, MessageStatus status, String error) {
    if (status == MessageStatus.FAILED && (error == null || error.isBlank())) {
      throw new ValidationException("error", "a failed status must carry the provider's error");
    }
    return engine.write(tx -> {
      Message m = tx.store().findMessage(accountId, messageId)
          .orElseThrow(() -> new NotFoundException("message", accountId, messageId));
      return IncomingPipeline.applyStatus(tx, m, status, error, Actor.system());
    });
  }

  static void validate(String content, List<Attachment> attachments) {
    if ((content == null || content.isEmpty()) && attachments.isEmpty()) {
      throw new ValidationException("content", "a message needs content or attachments");
    }
    if (content != null && content.length() > Message.MAX_CONTENT_LENGTH) {
      throw new ValidationException("content", "is " + content.length()
          + " characters long; the limit is " + Message.MAX_CONTENT_LENGTH);
    }
    if (attachments.size() > Message.MAX_ATTACHMENTS) {
      throw new ValidationException("attachments", "has " + attachments.size()
          + " attachments; the limit is " + Message.MAX_ATTACHMENTS);
    }
  }
}
