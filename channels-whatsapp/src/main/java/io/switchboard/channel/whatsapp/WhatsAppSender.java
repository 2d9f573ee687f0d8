package io.switchboard.channel.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends one outgoing message through {@code POST /{version}/{phone_number_id}/messages}: text
 * (with the replied-to message as context; split into several messages over 4,096
 * characters), media by link or upload (the text as the first file's caption when it fits in
 * 1,024 characters), interactive reply buttons or a list for {@code input_select}, and
 * templates.
 */
final class WhatsAppSender implements ChannelSender {
  /** Free-form messages may only be sent this long after the contact last wrote. */
  static final Duration WINDOW = Duration.ofHours(24);
  /** The error code of a free-form message refused outside the window. */
  static final String OUTSIDE_WINDOW = "outside_24h_window";
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  /** Graph error codes of rate and throughput limits: worth retrying. */
  private static final Set<String> RATE_LIMIT_CODES = Set.of("4", "80007", "130429", "131056");
  private static final int MAX_BUTTONS = 3;
  private static final int MAX_LIST_ROWS = 10;
  /** The Cloud API's limit for a text message's body. */
  static final int MAX_TEXT = 4096;
  /** The Cloud API's limit for the caption of an image, video or document. */
  static final int MAX_CAPTION = 1024;

  private final WhatsAppConfig config;
  private final ChannelContext context;

  WhatsAppSender(WhatsAppConfig config, ChannelContext context) {
    this.config = config;
    this.context = context;
  }

  /** A refusal found before calling the Graph API. */
  private static final class Refused extends Exception {
    final String code;

    Refused(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  @Override
  public SendResult send(OutboundMessage out) {
    Message m = out.message();
    String phoneNumberId = out.inbox().setting(WhatsAppChannel.PHONE_NUMBER_ID);
    String token = out.inbox().setting(WhatsAppChannel.ACCESS_TOKEN);
    if (phoneNumberId == null || token == null) {
      return new SendResult.Failed("settings", "the inbox has no phone_number_id or access_token",
          false);
    }
    Object template = m.contentAttributes().get("template");
    try {
      if (!(template instanceof Map<?, ?>) && !withinWindow(out.lastIncomingAt())) {
        return SendResult.failed(OUTSIDE_WINDOW, "outside the 24-hour customer service window: "
            + (out.lastIncomingAt() == null ? "the contact never wrote to this number"
                : "the contact last wrote at " + out.lastIncomingAt())
            + "; only a template message can be sent now");
      }
      List<Part> parts = parts(out, template);
      if (parts.isEmpty()) {
        return SendResult.failed("empty", "the message has no content WhatsApp can send");
      }
      Message replyTo = out.inReplyTo();
      if (replyTo != null && replyTo.sourceId() != null) {
        parts.get(0).payload().putObject("context").put("message_id", replyTo.sourceId());
      }
      // a part an earlier attempt sent is not sent again
      List<String> sent = new ArrayList<>(out.sentParts());
      for (int i = sent.size(); i < parts.size(); i++) {
        SendResult result;
        try {
          result = post(messagesUrl(phoneNumberId), token,
              ready(parts.get(i), m.accountId(), phoneNumberId, token));
        } catch (Refused e) {
          result = SendResult.failed(e.code, e.getMessage());
        } catch (UploadFailed e) {
          result = e.result;
        } catch (IOException e) {
          result = SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
        if (!(result instanceof SendResult.Sent ok)) {
          return result.afterParts(sent);
        }
        sent.add(ok.sourceId() == null ? "" : ok.sourceId());
      }
      return SendResult.sentInParts(sent);
    } catch (Refused e) {
      return SendResult.failed(e.code, e.getMessage());
    }
  }

  private boolean withinWindow(Instant lastIncomingAt) {
    return lastIncomingAt != null
        && context.clock().instant().isBefore(lastIncomingAt.plus(WINDOW));
  }

  // ------------------------------------------------------------------ payloads

  /**
   * One Graph API request of a message. A file from the blob store is uploaded only when its
   * part is about to be sent, so a retry does not upload the files of parts already sent.
   */
  private record Part(ObjectNode payload, Attachment upload) {}

  private ObjectNode ready(Part part, long accountId, String phoneNumberId, String token)
      throws Refused, IOException {
    if (part.upload() != null) {
      ((ObjectNode) part.payload().get(part.payload().path("type").asText()))
          .put("id", upload(accountId, part.upload(), phoneNumberId, token));
    }
    return part.payload();
  }

  /** The requests of a message, in order; refuses what WhatsApp cannot take before any. */
  private List<Part> parts(OutboundMessage out, Object template) throws Refused {
    Message m = out.message();
    String to = out.contactInbox().sourceId();
    List<Part> parts = new ArrayList<>();
    if (template instanceof Map<?, ?> t) {
      ObjectNode p = base(to, "template");
      p.set("template", template(t));
      parts.add(new Part(p, null));
      return parts;
    }
    Object items = m.contentAttributes().get("items");
    if (m.contentType() == ContentType.INPUT_SELECT && items instanceof List<?> list) {
      ObjectNode p = base(to, "interactive");
      p.set("interactive", interactive(m, list));
      parts.add(new Part(p, null));
      return parts;
    }
    String text = m.content() == null || m.content().isBlank() ? null : m.content();
    List<Attachment> attachments = m.attachments();
    // the caption of the first image, video or document when it fits, else text messages first
    String caption = text != null && text.length() <= MAX_CAPTION && !attachments.isEmpty()
        && takesCaption(attachments.get(0)) ? text : null;
    if (text != null && caption == null) {
      for (String body : TextParts.split(text, MAX_TEXT)) {
        ObjectNode p = base(to, "text");
        p.putObject("text").put("body", body).put("preview_url", body.contains("http"));
        parts.add(new Part(p, null));
      }
    }
    for (int i = 0; i < attachments.size(); i++) {
      parts.add(attachment(to, attachments.get(i), i == 0 ? caption : null));
    }
    return parts;
  }

  private static ObjectNode base(String to, String type) {
    ObjectNode p = Graph.JSON.createObjectNode();
    p.put("messaging_product", "whatsapp");
    p.put("recipient_type", "individual");
    p.put("to", to);
    p.put("type", type);
    return p;
  }

  private static String mediaType(AttachmentType type) {
    return switch (type) {
      case IMAGE -> "image";
      case AUDIO -> "audio";
      case VIDEO -> "video";
      case STICKER -> "sticker";
      default -> "document";
    };
  }

  private static boolean takesCaption(Attachment a) {
    return a.fileType() == AttachmentType.IMAGE || a.fileType() == AttachmentType.VIDEO
        || a.fileType() == AttachmentType.FILE || a.fileType() == AttachmentType.FALLBACK;
  }

  private static Part attachment(String to, Attachment a, String caption) throws Refused {
    if (a.fileType() == AttachmentType.LOCATION) {
      if (a.latitude() == null || a.longitude() == null) {
        throw new Refused("location", "a location attachment needs latitude and longitude");
      }
      ObjectNode p = base(to, "location");
      ObjectNode l = p.putObject("location");
      l.put("latitude", a.latitude()).put("longitude", a.longitude());
      putText(l, "name", a.meta().get("name"));
      putText(l, "address", a.meta().get("address"));
      return new Part(p, null);
    }
    if (a.fileType() == AttachmentType.CONTACT) {
      ObjectNode p = base(to, "contacts");
      ObjectNode c = p.putArray("contacts").addObject();
      String name = String.valueOf(a.meta().getOrDefault("name", a.meta().get("phone")));
      c.putObject("name").put("formatted_name", name).put("first_name", name);
      if (a.meta().get("phone") != null) {
        c.putArray("phones").addObject().put("phone", a.meta().get("phone").toString());
      }
      return new Part(p, null);
    }
    String type = mediaType(a.fileType());
    ObjectNode p = base(to, type);
    ObjectNode media = p.putObject(type);
    Attachment upload = null;
    if (a.externalUrl() != null) {
      media.put("link", a.externalUrl());
    } else if (a.blobKey() != null) {
      upload = a;
    } else {
      throw new Refused("attachment", "an attachment has neither a URL nor a stored file");
    }
    if (caption != null && takesCaption(a)) {
      media.put("caption", caption);
    }
    if ("document".equals(type) && a.fileName() != null) {
      media.put("filename", a.fileName());
    }
    return new Part(p, upload);
  }

  private static void putText(ObjectNode node, String field, Object value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }

  /** Uploads a stored file with {@code POST /{version}/{phone_number_id}/media}; its media id. */
  private String upload(long accountId, Attachment a, String phoneNumberId, String token)
      throws Refused, IOException {
    Optional<InputStream> in = context.blobs().open(accountId, a.blobKey());
    if (in.isEmpty()) {
      throw new Refused("attachment", "the attachment's stored file is missing");
    }
    byte[] bytes;
    try (InputStream stream = in.get()) {
      bytes = stream.readAllBytes();
    }
    String mime = a.contentType() == null ? "application/octet-stream" : a.contentType();
    String fileName = a.fileName() == null ? "file" : a.fileName();
    RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("messaging_product", "whatsapp")
        .addFormDataPart("type", mime)
        .addFormDataPart("file", fileName, RequestBody.create(bytes, MediaType.parse(mime)))
        .build();
    HttpUrl url = graph().addPathSegment(phoneNumberId).addPathSegment("media").build();
    Request request = new Request.Builder().url(url).header("Authorization", "Bearer " + token)
        .post(body).build();
    try (Response response = context.http().newCall(request).execute()) {
      JsonNode answer = read(response.body());
      if (!response.isSuccessful()) {
        throw new UploadFailed(classify(response, answer));
      }
      String id = Graph.text(answer, "id");
      if (id == null) {
        throw new IOException("media upload answered without an id");
      }
      return id;
    }
  }

  /** Carries a classified failure of an upload out of payload building. */
  private static final class UploadFailed extends IOException {
    final transient SendResult result;

    UploadFailed(SendResult result) {
      super("upload failed");
      this.result = result;
    }
  }

  private static ObjectNode interactive(Message m, List<?> items) throws Refused {
    if (m.content() == null || m.content().isBlank()) {
      throw new Refused("interactive", "an input_select message needs content as its body text");
    }
    if (items.isEmpty() || items.size() > MAX_LIST_ROWS) {
      throw new Refused("interactive", "an input_select message needs 1 to " + MAX_LIST_ROWS
          + " items, got " + items.size());
    }
    ObjectNode i = Graph.JSON.createObjectNode();
    i.put("type", items.size() <= MAX_BUTTONS ? "button" : "list");
    i.putObject("body").put("text", m.content());
    ObjectNode action = i.putObject("action");
    if (items.size() <= MAX_BUTTONS) {
      ArrayNode buttons = action.putArray("buttons");
      for (Object item : items) {
        ObjectNode reply = buttons.addObject().put("type", "reply").putObject("reply");
        reply.put("id", itemValue(item)).put("title", limit(itemTitle(item), 20));
      }
    } else {
      Object label = m.contentAttributes().get("button_text");
      action.put("button", limit(label == null ? "Choose" : label.toString(), 20));
      ArrayNode rows = action.putArray("sections").addObject().putArray("rows");
      for (Object item : items) {
        ObjectNode row = rows.addObject().put("id", itemValue(item))
            .put("title", limit(itemTitle(item), 24));
        if (item instanceof Map<?, ?> map && map.get("description") != null) {
          row.put("description", limit(map.get("description").toString(), 72));
        }
      }
    }
    return i;
  }

  private static String itemTitle(Object item) throws Refused {
    Object title = item instanceof Map<?, ?> map ? map.get("title") : item;
    if (title == null) {
      throw new Refused("interactive", "every item needs a title");
    }
    return title.toString();
  }

  private static String itemValue(Object item) throws Refused {
    Object value = item instanceof Map<?, ?> map
        ? (map.get("value") != null ? map.get("value") : map.get("title")) : item;
    if (value == null) {
      throw new Refused("interactive", "every item needs a value or title");
    }
    return limit(value.toString(), 200);
  }

  private static String limit(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /**
   * {@code {name, language, header: [...], body: [...] (or parameters), buttons: [{sub_type,
   * index, payload | text}], components: [...]}} as the Cloud API's template object.
   */
  private static ObjectNode template(Map<?, ?> t) throws Refused {
    Object name = t.get("name");
    Object language = t.get("language");
    if (name == null || language == null) {
      throw new Refused("template", "a template needs a name and a language");
    }
    ObjectNode node = Graph.JSON.createObjectNode();
    node.put("name", name.toString());
    node.putObject("language").put("code", language.toString());
    ArrayNode components = Graph.JSON.createArrayNode();
    if (t.get("components") instanceof List<?> raw) {
      raw.forEach(c -> components.add(Graph.JSON.valueToTree(c)));
    }
    addComponent(components, "header", t.get("header"));
    addComponent(components, "body", t.get("body") != null ? t.get("body") : t.get("parameters"));
    if (t.get("buttons") instanceof List<?> buttons) {
      int position = 0;
      for (Object b : buttons) {
        if (!(b instanceof Map<?, ?> button)) {
          throw new Refused("template", "each template button is an object");
        }
        String subType = String.valueOf(button.get("sub_type") == null ? "quick_reply"
            : button.get("sub_type"));
        ObjectNode c = components.addObject().put("type", "button").put("sub_type", subType)
            .put("index", String.valueOf(button.get("index") == null ? position
                : button.get("index")));
        ObjectNode parameter = c.putArray("parameters").addObject();
        if ("quick_reply".equals(subType)) {
          parameter.put("type", "payload").put("payload", String.valueOf(button.get("payload")));
        } else {
          parameter.put("type", "text").put("text", String.valueOf(button.get("text")));
        }
        position++;
      }
    }
    if (!components.isEmpty()) {
      node.set("components", components);
    }
    return node;
  }

  private static void addComponent(ArrayNode components, String type, Object parameters)
      throws Refused {
    if (parameters == null) {
      return;
    }
    if (!(parameters instanceof List<?> list)) {
      throw new Refused("template", "template " + type + " parameters must be a list");
    }
    ArrayNode ps = components.addObject().put("type", type).putArray("parameters");
    for (Object p : list) {
      if (p instanceof Map<?, ?>) {
        ps.add(Graph.JSON.<JsonNode>valueToTree(p));
      } else {
        ps.addObject().put("type", "text").put("text", String.valueOf(p));
      }
    }
  }

  // ------------------------------------------------------------------ HTTP

  private HttpUrl.Builder graph() {
    return HttpUrl.get(config.graphBaseUrl()).newBuilder().addPathSegment(config.apiVersion());
  }

  private HttpUrl messagesUrl(String phoneNumberId) {
    return graph().addPathSegment(phoneNumberId).addPathSegment("messages").build();
  }

  private SendResult post(HttpUrl url, String token, ObjectNode payload) throws IOException {
    Request request = new Request.Builder().url(url)
        .header("Authorization", "Bearer " + token)
        .post(RequestBody.create(payload.toString(), JSON))
        .build();
    try (Response response = context.http().newCall(request).execute()) {
      JsonNode answer = read(response.body());
      if (response.isSuccessful()) {
        JsonNode id = answer.path("messages").path(0).get("id");
        return SendResult.sent(id == null || id.isNull() ? null : id.asText());
      }
      return classify(response, answer);
    }
  }

  private static SendResult classify(Response response, JsonNode answer) {
    int status = response.code();
    JsonNode error = answer.path("error");
    String code = Graph.text(error, "code");
    String message = Graph.text(error, "message");
    String details = Graph.text(error.path("error_data"), "details");
    String text = (message == null ? "HTTP " + status : message)
        + (details == null || details.equals(message) ? "" : " (" + details + ")");
    if (status == 401 || "190".equals(code)) {
      return new SendResult.Failed(code == null ? "401" : code, text, true);
    }
    if (status == 408 || status == 429 || status >= 500
        || (code != null && RATE_LIMIT_CODES.contains(code))) {
      return SendResult.retry("HTTP " + status + (code == null ? "" : " " + code) + ": " + text,
          retryAfter(response));
    }
    return SendResult.failed(code == null ? Integer.toString(status) : code, text);
  }

  private static JsonNode read(ResponseBody body) {
    if (body == null) {
      return Graph.JSON.createObjectNode();
    }
    try {
      String text = body.string();
      JsonNode node = text.isBlank() ? null : Graph.JSON.readTree(text);
      return node == null ? Graph.JSON.createObjectNode() : node;
    } catch (IOException e) {
      return Graph.JSON.createObjectNode();
    }
  }

  private static Duration retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Math.min(3600, Long.parseLong(value.strip()))));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
