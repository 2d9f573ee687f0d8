package io.switchboard;

import io.switchboard.model.Attachment;
import io.switchboard.model.ContentType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message an agent or bot is about to send. Build it with {@link #text(String)} or
 * {@link #builder()}.
 *
 * <p>Content may use template variables, rendered when the message is created:
 * {@code {{contact.name}}}, {@code {{contact.first_name}}}, {@code {{contact.email}}},
 * {@code {{contact.phone}}}, {@code {{agent.name}}}, {@code {{conversation.id}}} (the display
 * id) and {@code {{inbox.name}}}.
 *
 * @param content the text, may be null when there are attachments
 * @param contentType the content type
 * @param contentAttributes extras such as {@code items} of an {@code input_select} or a
 *     {@code template} for WhatsApp
 * @param attachments at most 15
 * @param privateNote an internal note, never sent
 * @param inReplyTo the id of the message this replies to, or null
 * @param sourceId the provider's id when the message was already sent elsewhere (an echo):
 *     it is stored and never sent again
 */
public record MessageDraft(String content, ContentType contentType,
    Map<String, Object> contentAttributes, List<Attachment> attachments, boolean privateNote,
    Long inReplyTo, String sourceId) {

  public MessageDraft {
    contentType = contentType == null ? ContentType.TEXT : contentType;
    contentAttributes = contentAttributes == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contentAttributes));
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A plain text reply. */
  public static MessageDraft text(String content) {
    return builder().content(content).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MessageDraft}. */
  public static final class Builder {
    private String content;
    private ContentType contentType = ContentType.TEXT;
    private final Map<String, Object> contentAttributes = new LinkedHashMap<>();
    private final List<Attachment> attachments = new ArrayList<>();
    private boolean privateNote;
    private Long inReplyTo;
    private String sourceId;

    public Builder content(String v) { content = v; return this; }
    public Builder contentType(ContentType v) { contentType = v; return this; }
    public Builder contentAttribute(String key, Object value) { contentAttributes.put(key, value); return this; }
    public Builder attachment(Attachment v) { attachments.add(v); return this; }
    public Builder attachments(List<Attachment> v) { attachments.addAll(v); return this; }
    public Builder privateNote(boolean v) { privateNote = v; return this; }
    public Builder inReplyTo(long messageId) { inReplyTo = messageId; return this; }
    public Builder sourceId(String v) { sourceId = v; return this; }

    public MessageDraft build() {
      return new MessageDraft(content, contentType, contentAttributes, attachments, privateNote,
          inReplyTo, sourceId);
    }
  }
}
