package io.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundEdit;
import io.switchboard.channel.InboundEvent;
import io.switchboard.channel.InboundMessage;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one Telegram {@code Update} into inbound events. Shared by the webhook parser and the
 * poller. Never touches the store or the network.
 */
final class UpdateParser {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(UpdateParser.class);
  /** The Bot API's download limit for {@code getFile}. */
  static final long MAX_DOWNLOAD_BYTES = 20L * 1024 * 1024;

  private final boolean acceptGroupChats;

  UpdateParser(boolean acceptGroupChats) {
    this.acceptGroupChats = acceptGroupChats;
  }

  /**
   * What one update yields.
   *
   * @param updateId the update's id
   * @param events the events to ingest (empty for ignored updates)
   * @param callbackQueryId the id of a callback query to answer, or null
   */
  record Result(long updateId, List<InboundEvent> events, String callbackQueryId) {}

  /**
   * {@link #parse}, or empty after a warning naming the inbox and the update when the update
   * cannot be read: such an update is skipped, never retried (retrying would return it again
   * and again, ahead of the bot's later updates).
   */
  java.util.Optional<Result> parseOrSkip(long inboxId, JsonNode update) {
    try {
      return java.util.Optional.of(parse(update));
    } catch (RuntimeException e) {
      JsonNode updateId = update.path("update_id");
      LOG.warn("telegram inbox {}: skipped update {} that could not be parsed ({})", inboxId,
          updateId.canConvertToLong() ? updateId.asLong() : "without id",
          e.getClass().getSimpleName());
      return java.util.Optional.empty();
    }
  }

  Result parse(JsonNode update) {
    if (!update.isObject() || !update.path("update_id").canConvertToLong()) {
      throw new IllegalArgumentException("not a Telegram update: no update_id");
    }
    long updateId = update.get("update_id").asLong();
    if (update.has("message")) {
      return new Result(updateId, message(update.get("message"), false), null);
    }
    if (update.has("business_message")) {
      return new Result(updateId, message(update.get("business_message"), true), null);
    }
    if (update.has("channel_post")) {
      return new Result(updateId, message(update.get("channel_post"), false), null);
    }
    for (String kind : List.of("edited_message", "edited_business_message",
        "edited_channel_post")) {
      if (update.has(kind)) {
        return new Result(updateId, edit(update.get(kind)), null);
      }
    }
    if (update.has("callback_query")) {
      JsonNode query = update.get("callback_query");
      return new Result(updateId, callback(query), query.path("id").asText(null));
    }
    return new Result(updateId, List.of(), null);
  }

  private boolean accepted(JsonNode chat) {
    String type = chat.path("type").asText("private");
    return "private".equals(type) || acceptGroupChats;
  }

  private List<InboundEvent> message(JsonNode m, boolean business) {
    JsonNode chat = m.path("chat");
    if (!chat.has("id") || !m.has("message_id") || !accepted(chat)) {
      return List.of();
    }
    String chatId = chat.get("id").asText();
    boolean outgoing = business && !m.path("from").path("id").asText(chatId).equals(chatId);
    InboundContact contact = contact(m, business);
    Map<String, Object> contentAttributes = new LinkedHashMap<>();
    JsonNode reply = m.path("reply_to_message");
    if (reply.has("message_id")) {
      contentAttributes.put("in_reply_to_external_id",
          reply.path("chat").path("id").asText(chatId) + ":" + reply.get("message_id").asText());
    }
    String text = m.has("text") ? m.get("text").asText() : m.path("caption").asText(null);
    List<Attachment> attachments = attachments(m);
    attachments.stream().map(a -> a.meta().get("fetch_refused")).filter(n -> n != null)
        .findFirst().ifPresent(note -> contentAttributes.put("file_not_downloaded", note));
    ContentType contentType = ContentType.TEXT;
    if (m.has("sticker")) {
      contentType = ContentType.STICKER;
    }
    if (text == null && attachments.isEmpty()) {
      contentType = ContentType.UNSUPPORTED;
      contentAttributes.put("unsupported_type", unknownKind(m));
    }
    Instant sentAt = m.has("date") ? Instant.ofEpochSecond(m.get("date").asLong()) : null;
    return List.of(new InboundMessage(chatId + ":" + m.get("message_id").asText(), contact, text,
        contentType, contentAttributes, attachments, conversationAttributes(m), outgoing, sentAt));
  }

  private List<InboundEvent> edit(JsonNode m) {
    JsonNode chat = m.path("chat");
    if (!chat.has("id") || !m.has("message_id") || !accepted(chat)) {
      return List.of();
    }
    String text = m.has("text") ? m.get("text").asText() : m.path("caption").asText(null);
    if (text == null) {
      return List.of();
    }
    Instant editedAt = m.path("edit_date").isIntegralNumber()
        ? Instant.ofEpochSecond(m.get("edit_date").asLong()) : null;
    return List.of(new InboundEdit(chat.get("id").asText() + ":" + m.get("message_id").asText(),
        text, editedAt));
  }

  private List<InboundEvent> callback(JsonNode query) {
    JsonNode message = query.path("message");
    JsonNode chat = message.path("chat");
    if (!query.has("id") || !query.path("from").has("id") || !chat.has("id")
        || !accepted(chat)) {
      return List.of();
    }
    String chatId = chat.get("id").asText();
    String data = query.path("data").asText(null);
    Map<String, Object> contentAttributes = new LinkedHashMap<>();
    contentAttributes.put("callback_data", data);
    if (message.has("message_id")) {
      contentAttributes.put("in_reply_to_external_id",
          chatId + ":" + message.get("message_id").asText());
    }
    Map<String, Object> conversation = new LinkedHashMap<>();
    conversation.put("chat_id", chatId);
    conversation.put("chat_type", chat.path("type").asText("private"));
    return List.of(new InboundMessage("callback:" + query.get("id").asText(),
        user(query.get("from"), query.get("from").get("id").asText()), data,
        ContentType.TEXT, contentAttributes, List.of(), conversation, false, null));
  }

  private static Map<String, Object> conversationAttributes(JsonNode m) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("chat_id", m.path("chat").path("id").asText());
    attributes.put("chat_type", m.path("chat").path("type").asText("private"));
    if (m.hasNonNull("business_connection_id")) {
      attributes.put("business_connection_id", m.get("business_connection_id").asText());
    }
    return attributes;
  }

  /** The customer: {@code from} normally; the private chat in business mode and channels. */
  private static InboundContact contact(JsonNode m, boolean business) {
    JsonNode chat = m.path("chat");
    if (business || !m.path("from").has("id")) {
      return user(chat, chat.get("id").asText());
    }
    return user(m.get("from"), m.get("from").get("id").asText());
  }

  private static InboundContact user(JsonNode user, String sourceId) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (String field : List.of("username", "first_name", "last_name", "language_code")) {
      if (user.hasNonNull(field)) {
        attributes.put(field, user.get(field).asText());
      }
    }
    String first = user.path("first_name").asText(user.path("title").asText(""));
    String last = user.path("last_name").asText("");
    String name = (first + " " + last).strip();
    if (name.isEmpty()) {
      name = user.path("username").asText(null);
    }
    return new InboundContact(sourceId, name, null, null, null, attributes);
  }

  private static List<Attachment> attachments(JsonNode m) {
    List<Attachment> out = new ArrayList<>();
    if (m.path("photo").isArray() && !m.get("photo").isEmpty()) {
      JsonNode largest = null;
      for (JsonNode size : m.get("photo")) {
        if (largest == null || area(size) >= area(largest)) {
          largest = size;
        }
      }
      out.add(file(AttachmentType.IMAGE, largest, "photo", null, "image/jpeg"));
    }
    if (m.has("document")) {
      out.add(file(AttachmentType.FILE, m.get("document"), "document", null, null));
    }
    if (m.has("voice")) {
      out.add(file(AttachmentType.AUDIO, m.get("voice"), "voice", null, "audio/ogg"));
    }
    if (m.has("audio")) {
      out.add(file(AttachmentType.AUDIO, m.get("audio"), "audio", null, null));
    }
    if (m.has("video")) {
      out.add(file(AttachmentType.VIDEO, m.get("video"), "video", null, "video/mp4"));
    }
    if (m.has("video_note")) {
      out.add(file(AttachmentType.VIDEO, m.get("video_note"), "video_note", null, "video/mp4"));
    }
    if (m.has("sticker")) {
      JsonNode sticker = m.get("sticker");
      String type = sticker.path("is_animated").asBoolean() ? "application/x-tgsticker"
          : sticker.path("is_video").asBoolean() ? "video/webm" : "image/webp";
      out.add(file(AttachmentType.STICKER, sticker, "sticker", sticker.path("emoji").asText(null),
          type));
    }
    if (m.has("venue")) {
      JsonNode venue = m.get("venue");
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("title", venue.path("title").asText(null));
      meta.put("address", venue.path("address").asText(null));
      out.add(new Attachment(0, 0, 0, AttachmentType.LOCATION, null, null, null, null, null,
          venue.path("location").path("latitude").asDouble(),
          venue.path("location").path("longitude").asDouble(), meta));
    } else if (m.has("location")) {
      JsonNode location = m.get("location");
      out.add(new Attachment(0, 0, 0, AttachmentType.LOCATION, null, null, null, null, null,
          location.path("latitude").asDouble(), location.path("longitude").asDouble(), Map.of()));
    }
    if (m.has("contact")) {
      JsonNode shared = m.get("contact");
      Map<String, Object> meta = new LinkedHashMap<>();
      for (String field : List.of("phone_number", "first_name", "last_name", "user_id",
          "vcard")) {
        if (shared.hasNonNull(field)) {
          meta.put(field, shared.get(field).asText());
        }
      }
      String name = (shared.path("first_name").asText("") + " "
          + shared.path("last_name").asText("")).strip();
      out.add(new Attachment(0, 0, 0, AttachmentType.CONTACT, null, null, name, null, null,
          null, null, meta));
    }
    return out;
  }

  private static long area(JsonNode size) {
    return size.path("width").asLong() * size.path("height").asLong()
        + size.path("file_size").asLong();
  }

  private static Attachment file(AttachmentType type, JsonNode file, String kind, String emoji,
      String defaultContentType) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("file_id", file.path("file_id").asText());
    meta.put("file_unique_id", file.path("file_unique_id").asText(null));
    meta.put("telegram_kind", kind);
    if (emoji != null) {
      meta.put("emoji", emoji);
    }
    Long size = file.path("file_size").canConvertToLong() && file.has("file_size")
        ? file.get("file_size").asLong() : null;
    if (size != null && size > MAX_DOWNLOAD_BYTES) {
      meta.put("fetch_refused", tooLargeNote(size));
    } else {
      meta.put(Attachment.PENDING_FETCH, true);
    }
    String contentType = file.path("mime_type").asText(defaultContentType);
    return new Attachment(0, 0, 0, type, null, null, file.path("file_name").asText(null),
        contentType, size, null, null, meta);
  }

  static String tooLargeNote(long size) {
    return "the file has " + size + " bytes; the Telegram Bot API lets bots download at most "
        + MAX_DOWNLOAD_BYTES + " bytes (20 MB), so it was not downloaded";
  }

  private static String unknownKind(JsonNode m) {
    for (String kind : List.of("poll", "dice", "game", "animation", "story", "invoice",
        "new_chat_members", "left_chat_member", "pinned_message")) {
      if (m.has(kind)) {
        return kind;
      }
    }
    return "unknown";
  }
}
