package io.switchboard.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message in a conversation.
 *
 * <p>{@code contentAttributes} carries Chatwoot's keys: {@code in_reply_to} (a message id),
 * {@code in_reply_to_external_id}, {@code external_error} (the provider's error of a failed
 * send), email headers, {@code items} of an {@code input_select}, and so on.
 *
 * @param id the message id
 * @param accountId the account
 * @param inboxId the inbox
 * @param conversationId the conversation
 * @param messageType incoming, outgoing, activity or template
 * @param contentType the shape of the content
 * @param content the text, at most {@value #MAX_CONTENT_LENGTH} characters, may be null for
 *     an attachment-only message
 * @param contentAttributes structured extras, see above
 * @param privateNote an internal note: never sent to the contact, never shown to them
 * @param status sent, delivered, read or failed
 * @param sourceId the provider's id of this message, or null
 * @param senderType who wrote it
 * @param senderId the id of the user, contact or bot who wrote it, or null for the system
 * @param attachments at most {@value #MAX_ATTACHMENTS}
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 */
public record Message(
    long id,
    long accountId,
    long inboxId,
    long conversationId,
    MessageType messageType,
    ContentType contentType,
    String content,
    Map<String, Object> contentAttributes,
    boolean privateNote,
    MessageStatus status,
    String sourceId,
    SenderType senderType,
    Long senderId,
    List<Attachment> attachments,
    Instant createdAt,
    Instant updatedAt) {

  /** The longest content a message may have. */
  public static final int MAX_CONTENT_LENGTH = 150_000;
  /** The most attachments a message may have. */
  public static final int MAX_ATTACHMENTS = 15;

  public Message {
    Objects.requireNonNull(messageType, "messageType");
    Objects.requireNonNull(contentType, "contentType");
    contentAttributes = Values.copy(contentAttributes);
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(senderType, "senderType");
    attachments = Values.copy(attachments);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The provider's error of a failed send, or null. */
  public String externalError() {
    Object e = contentAttributes.get("external_error");
    return e == null ? null : e.toString();
  }

  /** Whether the message is visible to the contact: not a private note, not an activity. */
  public boolean isPublic() {
    return !privateNote && messageType != MessageType.ACTIVITY;
  }

  /** Prints no content: message bodies never go to logs. */
  @Override
  public String toString() {
    return "Message[id=" + id + ", accountId=" + accountId + ", conversationId=" + conversationId
        + ", type=" + messageType.wireName() + ", contentType=" + contentType.wireName()
        + ", private=" + privateNote + ", status=" + status.wireName()
        + ", attachments=" + attachments.size() + "]";
  }

  /** A copy with another status and content attributes. */
  public Message withStatus(MessageStatus newStatus, Map<String, Object> attributes, Instant now) {
    return new Message(id, accountId, inboxId, conversationId, messageType, contentType, content,
        attributes, privateNote, newStatus, sourceId, senderType, senderId, attachments,
        createdAt, now);
  }

  /** A copy with the provider's id set. */
  public Message withSourceId(String newSourceId, Instant now) {
    return new Message(id, accountId, inboxId, conversationId, messageType, contentType, content,
        contentAttributes, privateNote, status, newSourceId, senderType, senderId, attachments,
        createdAt, now);
  }

  /** A copy with new content (an edit) and content attributes. */
  public Message withContent(String newContent, Map<String, Object> attributes, Instant now) {
    return new Message(id, accountId, inboxId, conversationId, messageType, contentType,
        newContent, attributes, privateNote, status, sourceId, senderType, senderId,
        attachments, createdAt, now);
  }
}
