package io.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.channel.SendResult;
import io.switchboard.internal.TextParts;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Message;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one outgoing message with the Bot API: text as HTML (split over 4096 characters), an
 * inline keyboard for {@code input_select}, files by URL or upload, several images as one
 * media group.
 */
final class TelegramSender implements ChannelSender {
  private static final Logger LOG = LoggerFactory.getLogger(TelegramSender.class);
  private static final int MAX_CALLBACK_DATA = 64;
  /** The most items {@code sendMediaGroup} takes (and it needs at least 2). */
  private static final int MAX_MEDIA_GROUP = 10;

  private final ChannelContext context;
  private final BotApi api;

  TelegramSender(ChannelContext context, BotApi api) {
    this.context = context;
    this.api = api;
  }

  /** A Bot API call that did not succeed, classified. */
  private static final class CallFailed extends Exception {
    final SendResult result;

    CallFailed(SendResult result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  @Override
  public SendResult send(OutboundMessage out) {
    Map<String, Object> conversation = out.conversation().additionalAttributes();
    String chatId = conversation.get("chat_id") != null ? conversation.get("chat_id").toString()
        : out.contactInbox().sourceId();
    Object connection = conversation.get("business_connection_id");
    Target target = new Target(chatId, connection == null ? null : connection.toString(),
        replyTo(out.inReplyTo(), chatId));
    Message message = out.message();
    String text = message.content() == null ? "" : message.content();
    List<Attachment> files = message.attachments().stream()
        .filter(a -> a.externalUrl() != null || a.blobKey() != null).toList();
    List<Step> steps = plan(out, target, message, text, files);
    if (steps.isEmpty()) {
      return SendResult.failed("empty", "the message has no text and no file Telegram can send");
    }
    // a part an earlier attempt sent is not sent again
    List<String> sent = new ArrayList<>(out.sentParts());
    for (int i = sent.size(); i < steps.size(); i++) {
      Long id;
      try {
        id = steps.get(i).send();
      } catch (CallFailed e) {
        return e.result.afterParts(sent);
      } catch (IOException e) {
        return SendResult.retry("Telegram unreachable: " + e.getClass().getSimpleName(), null)
            .afterParts(sent);
      }
      sent.add(id == null ? "" : target.chatId + ":" + id);
    }
    return SendResult.sentInParts(sent);
  }

  /** One Bot API call of a message; the id of the (first) message it created. */
  @FunctionalInterface
  private interface Step {
    Long send() throws IOException, CallFailed;
  }

  /**
   * The calls of a message, in an order that only depends on the message (so that a retry
   * can skip the ones an earlier attempt made): media groups, single files, then the text
   * unless it became the first file's caption.
   */
  private List<Step> plan(OutboundMessage out, Target target, Message message, String text,
      List<Attachment> files) {
    List<Step> steps = new ArrayList<>();
    boolean captionUsed = false;
    String caption = !text.isBlank() && text.length() <= TelegramHtml.MAX_CAPTION
        && !hasKeyboard(message) ? TelegramHtml.render(text) : null;
    List<Attachment> images = files.stream()
        .filter(a -> a.fileType() == AttachmentType.IMAGE).toList();
    List<Attachment> single = new ArrayList<>(files);
    if (images.size() >= 2) {
      single.removeAll(images);
      for (List<Attachment> group : mediaGroups(images)) {
        String groupCaption = captionUsed ? null : caption;
        steps.add(() -> mediaGroup(out, target, group, groupCaption));
        captionUsed |= caption != null;
      }
    }
    for (Attachment file : single) {
      String fileCaption = captionUsed ? null : caption;
      steps.add(() -> sendFile(out, target, file, fileCaption));
      captionUsed |= caption != null;
    }
    if (!captionUsed && !text.isBlank()) {
      List<String> parts = TextParts.split(text, TelegramHtml.MAX_TEXT);
      for (int i = 0; i < parts.size(); i++) {
        ObjectNode params = target.params(steps.isEmpty());
        params.put("text", TelegramHtml.render(parts.get(i)));
        params.put("parse_mode", "HTML");
        if (i == parts.size() - 1 && hasKeyboard(message)) {
          params.set("reply_markup", keyboard(message));
        }
        steps.add(() -> call("sendMessage", params));
      }
    }
    return steps;
  }

  /**
   * Two or more images as the fewest media groups, as even as possible, larger groups first:
   * {@code sendMediaGroup} takes 2 to 10 items, so 11 images go as 6 + 5, never as 10 + 1.
   */
  private static <T> List<List<T>> mediaGroups(List<T> images) {
    int groups = (images.size() + MAX_MEDIA_GROUP - 1) / MAX_MEDIA_GROUP;
    List<List<T>> out = new ArrayList<>(groups);
    int from = 0;
    for (int left = groups; left > 0; left--) {
      int size = (images.size() - from + left - 1) / left;
      out.add(images.subList(from, from + size));
      from += size;
    }
    return out;
  }

  /** Where a message goes. */
  private record Target(String chatId, String businessConnectionId, Long replyTo) {
    ObjectNode params(boolean withReply) {
      ObjectNode params = BotApi.params();
      params.put("chat_id", chatId);
      if (businessConnectionId != null) {
        params.put("business_connection_id", businessConnectionId);
      }
      if (withReply && replyTo != null) {
        ObjectNode reply = params.putObject("reply_parameters");
        reply.put("message_id", replyTo);
        reply.put("allow_sending_without_reply", true);
      }
      return params;
    }
  }

  private static Long replyTo(Message inReplyTo, String chatId) {
    if (inReplyTo == null || inReplyTo.sourceId() == null) {
      return null;
    }
    String id = inReplyTo.sourceId();
    int colon = id.lastIndexOf(':');
    if (colon < 0 || !id.substring(0, colon).equals(chatId)) {
      return null;
    }
    try {
      return Long.parseLong(id.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean hasKeyboard(Message message) {
    return message.contentType() == ContentType.INPUT_SELECT
        && message.contentAttributes().get("items") instanceof List<?> items && !items.isEmpty();
  }

  private static ObjectNode keyboard(Message message) {
    ObjectNode markup = BotApi.params();
    ArrayNode rows = markup.putArray("inline_keyboard");
    for (Object item : (List<?>) message.contentAttributes().get("items")) {
      String title;
      String value;
      if (item instanceof Map<?, ?> map) {
        title = String.valueOf(map.get("title") != null ? map.get("title") : map.get("value"));
        value = String.valueOf(map.get("value") != null ? map.get("value") : title);
      } else {
        title = String.valueOf(item);
        value = title;
      }
      ObjectNode button = rows.addArray().addObject();
      button.put("text", title);
      button.put("callback_data", truncateUtf8(value, MAX_CALLBACK_DATA));
    }
    return markup;
  }

  private static String truncateUtf8(String value, int maxBytes) {
    String s = value;
    while (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String method(Attachment file) {
    return switch (file.fileType()) {
      case IMAGE -> "photo";
      case VIDEO -> "video";
      case AUDIO -> "voice".equals(file.meta().get("telegram_kind"))
          || "audio/ogg".equals(file.contentType()) ? "voice" : "audio";
      default -> "document";
    };
  }

  private Long sendFile(OutboundMessage out, Target target, Attachment file, String caption)
      throws IOException, CallFailed {
    String kind = method(file);
    String apiMethod = "send" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    ObjectNode params = target.params(true);
    if (caption != null) {
      params.put("caption", caption);
      params.put("parse_mode", "HTML");
    }
    if (file.externalUrl() != null) {
      params.put(kind, file.externalUrl());
      return call(apiMethod, params);
    }
    MultipartBody.Builder body = form(params);
    body.addFormDataPart(kind, fileName(file), upload(out, file));
    return call(apiMethod, body.build());
  }

  private Long mediaGroup(OutboundMessage out, Target target, List<Attachment> images,
      String caption) throws IOException, CallFailed {
    ObjectNode params = target.params(true);
    ArrayNode media = BotApi.JSON.createArrayNode();
    List<Attachment> uploads = new ArrayList<>();
    for (Attachment image : images) {
      ObjectNode item = media.addObject();
      item.put("type", "photo");
      if (image.externalUrl() != null) {
        item.put("media", image.externalUrl());
      } else {
        item.put("media", "attach://file" + uploads.size());
        uploads.add(image);
      }
      if (caption != null && media.size() == 1) {
        item.put("caption", caption);
        item.put("parse_mode", "HTML");
      }
    }
    params.set("media", media);
    if (uploads.isEmpty()) {
      return call("sendMediaGroup", params);
    }
    MultipartBody.Builder body = form(params);
    for (int i = 0; i < uploads.size(); i++) {
      body.addFormDataPart("file" + i, fileName(uploads.get(i)), upload(out, uploads.get(i)));
    }
    return call("sendMediaGroup", body.build());
  }

  private static MultipartBody.Builder form(ObjectNode params) {
    MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
    params.fields().forEachRemaining(e -> body.addFormDataPart(e.getKey(),
        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return body;
  }

  private static String fileName(Attachment file) {
    return file.fileName() != null ? file.fileName() : "file";
  }

  private RequestBody upload(OutboundMessage out, Attachment file) throws IOException {
    Optional<InputStream> in = context.blobs().open(out.message().accountId(), file.blobKey());
    if (in.isEmpty()) {
      throw new IOException("attachment " + file.id() + " is not in the blob store");
    }
    byte[] bytes;
    try (InputStream stream = in.get()) {
      bytes = stream.readAllBytes();
    }
    MediaType type = file.contentType() == null ? null : MediaType.parse(file.contentType());
    return RequestBody.create(bytes, type == null
        ? MediaType.get("application/octet-stream") : type);
  }

  private Long call(String method, ObjectNode params) throws IOException, CallFailed {
    return classify(method, api.call(method, params));
  }

  private Long call(String method, RequestBody body) throws IOException, CallFailed {
    return classify(method, api.call(method, body, null));
  }

  private static Long classify(String method, BotApi.Reply reply) throws CallFailed {
    if (reply.ok()) {
      if (reply.result() != null && reply.result().isArray() && !reply.result().isEmpty()) {
        return reply.result().get(0).path("message_id").asLong();
      }
      return reply.result() == null ? null : reply.result().path("message_id").asLong();
    }
    int code = reply.errorCode();
    String description = reply.description();
    LOG.debug("telegram {} failed with {}", method, code);
    if (code == 429 || code >= 500) {
      throw new CallFailed(SendResult.retry("Telegram " + code + ": " + description,
          reply.retryAfter()));
    }
    if (code == 403) {
      throw new CallFailed(SendResult.contactBlocked("403", "the contact blocked the bot or "
          + "cannot be messaged (Telegram: " + description + ")"));
    }
    if (code == 401 || code == 404 && reply.httpStatus() == 404
        && description.contains("Not Found")) {
      throw new CallFailed(new SendResult.Failed(Integer.toString(code),
          "Telegram refused the bot token: " + description, true));
    }
    throw new CallFailed(SendResult.failed(Integer.toString(code), description));
  }
}
