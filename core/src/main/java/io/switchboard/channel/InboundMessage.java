package io.switchboard.channel;

import io.switchboard.model.Attachment;
import io.switchboard.model.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message a provider delivered.
 *
 * @param sourceId the provider's message id: the idempotency key within the inbox (null only
 *     for channels without ids, which then get no deduplication)
 * @param contact who sent it (for an echo: the contact the message was sent to)
 * @param content the text, or null
 * @param contentType the content type; {@code unsupported} for types the channel cannot read
 * @param contentAttributes extras: {@code in_reply_to_external_id}, email headers, the
 *     provider's error for unsupported content…
 * @param attachments files and structured items
 * @param conversationAttributes facts to keep on the conversation (Telegram chat id, email
 *     subject, a click-to-chat referral). Three reserved keys steer threading and are never
 *     stored: {@code thread_conversation_uuid} (the conversation's uuid, used when it is in
 *     the same inbox), {@code thread_references} (a list of provider message ids, most
 *     relevant first: the conversation of the first that is a stored message's source id in
 *     the inbox) and {@code thread_new} ({@code true}: when neither matches, start a new
 *     conversation instead of continuing the contact's latest open one). A conversation found
 *     this way is reopened when resolved or snoozed, unless the message is an echo.
 * @param outgoing true for an echo of a message the business sent from another client: stored
 *     as outgoing, never sent again
 * @param sentAt when the provider says it was sent, or null when it does not say; kept as the
 *     content attribute {@code external_created_at} (ISO-8601), while the message's
 *     {@code created_at} is when it was stored
 */
public record InboundMessage(
    String sourceId,
    InboundContact contact,
    String content,
    ContentType contentType,
    Map<String, Object> contentAttributes,
    List<Attachment> attachments,
    Map<String, Object> conversationAttributes,
    boolean outgoing,
    Instant sentAt) implements InboundEvent {

  public InboundMessage {
    Objects.requireNonNull(contact, "contact");
    contentType = contentType == null ? ContentType.TEXT : contentType;
    contentAttributes = copy(contentAttributes);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    conversationAttributes = copy(conversationAttributes);
  }

  private static Map<String, Object> copy(Map<String, Object> m) {
    return m == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
  }

  /** A plain incoming text message. */
  public static InboundMessage text(String sourceId, InboundContact contact, String content) {
    return new InboundMessage(sourceId, contact, content, ContentType.TEXT, Map.of(), List.of(),
        Map.of(), false, null);
  }

  /** Prints no content: message bodies never go to logs. */
  @Override
  public String toString() {
    return "InboundMessage[sourceId=" + sourceId + ", contentType=" + contentType.wireName()
        + ", attachments=" + attachments.size() + ", outgoing=" + outgoing + "]";
  }
}
