package io.switchboard.channel.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundEvent;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.channel.InboxDirectory;
import io.switchboard.channel.ParsedWebhook;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.channel.WebhookParser;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.internal.Hmac;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies and parses WhatsApp Cloud API webhooks: the {@code GET} verification challenge and
 * signed {@code POST} deliveries of messages and statuses.
 */
final class WhatsAppParser implements WebhookParser {
  private static final Logger LOG = LoggerFactory.getLogger(WhatsAppParser.class);
  private static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
  private static final int MAX_CHALLENGE = 256;
  /**
   * The most distinct {@code phone_number_id}s one delivery may name. Meta sends one WhatsApp
   * Business Account's changes per delivery, and a business has 2 numbers, or 20 once
   * verified, unless Meta raises its limit: 50 leaves room for that while bounding the inbox
   * lookups an unverified body can cause (each costs a read from the store).
   */
  static final int MAX_PHONE_NUMBER_IDS = 50;
  /** A {@code phone_number_id} as a WhatsApp inbox's settings hold it; others name no inbox. */
  private static final Pattern PHONE_NUMBER_ID = Pattern.compile("\\d{1,32}");

  private final WhatsAppConfig config;

  WhatsAppParser(WhatsAppConfig config) {
    this.config = config;
  }

  @Override
  public ParsedWebhook parse(WebhookRequest request, InboxDirectory inboxes) {
    return switch (request.method()) {
      case "GET" -> ParsedWebhook.respond(verify(request, inboxes));
      case "POST" -> delivery(request, inboxes);
      default -> ParsedWebhook.respond(WebhookResponse.status(405, "method not allowed"));
    };
  }

  // ------------------------------------------------------------------ GET verification

  private WebhookResponse verify(WebhookRequest request, InboxDirectory inboxes) {
    String mode = request.queryParam("hub.mode").orElse(null);
    String token = request.queryParam("hub.verify_token").orElse(null);
    String challenge = request.queryParam("hub.challenge").orElse(null);
    if (!"subscribe".equals(mode) || token == null || challenge == null
        || challenge.length() > MAX_CHALLENGE) {
      return WebhookResponse.status(403, "verification failed");
    }
    boolean matches = Hmac.constantTimeEquals(config.verifyToken(), token);
    String phoneNumberId = request.queryParam(WhatsAppChannel.PHONE_NUMBER_ID).orElse(null);
    if (!matches && phoneNumberId != null) {
      matches = inboxes.findByRoutingKey(ChannelType.WHATSAPP, phoneNumberId)
          .map(inbox -> Hmac.constantTimeEquals(inbox.setting(WhatsAppChannel.VERIFY_TOKEN), token))
          .orElse(false);
    }
    if (!matches) {
      LOG.info("WhatsApp webhook verification refused: the verify token matches no configuration");
      return WebhookResponse.status(403, "verification failed");
    }
    return WebhookResponse.ok(challenge);
  }

  // ------------------------------------------------------------------ POST deliveries

  private ParsedWebhook delivery(WebhookRequest request, InboxDirectory inboxes) {
    JsonNode root;
    try {
      root = Graph.JSON.readTree(request.body());
    } catch (IOException e) {
      LOG.info("WhatsApp webhook refused: the body is not JSON");
      return ParsedWebhook.respond(WebhookResponse.badRequest("malformed JSON"));
    }
    if (root == null || !root.isObject()) {
      return ParsedWebhook.respond(WebhookResponse.badRequest("malformed JSON"));
    }
    if (!"whatsapp_business_account".equals(Graph.text(root, "object"))) {
      LOG.info("WhatsApp webhook for object '{}' acknowledged and ignored",
          Graph.text(root, "object"));
      return ParsedWebhook.respond(WebhookResponse.ok("ignored"));
    }
    // the numbers the delivery names, counted before anything is looked up
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode entry : root.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        String id = Graph.text(change.path("value").path("metadata"), "phone_number_id");
        if (id != null && ids.add(id) && ids.size() > MAX_PHONE_NUMBER_IDS) {
          LOG.info("WhatsApp webhook refused: it names more than {} phone_number_ids",
              MAX_PHONE_NUMBER_IDS);
          return ParsedWebhook.respond(WebhookResponse.badRequest(
              "more than " + MAX_PHONE_NUMBER_IDS + " phone_number_ids in one delivery"));
        }
      }
    }
    // route each number, checking the signature with a known inbox's secret as soon as it is
    // found: a forged delivery costs no lookup after the first inbox it names
    String signature = request.header(SIGNATURE_HEADER).orElse(null);
    byte[] body = request.body();
    Map<String, Optional<Inbox>> routes = new HashMap<>();
    Set<String> verifiedSecrets = new HashSet<>();
    for (String id : ids) {
      Optional<Inbox> inbox = PHONE_NUMBER_ID.matcher(id).matches()
          ? inboxes.findByRoutingKey(ChannelType.WHATSAPP, id) : Optional.empty();
      routes.put(id, inbox);
      if (inbox.isEmpty()) {
        continue;
      }
      String secret = inbox.get().setting(WhatsAppChannel.APP_SECRET);
      if (!verifiedSecrets.contains(secret)) {
        if (!signatureMatches(secret, body, signature)) {
          LOG.info("WhatsApp webhook refused: {} signature for inbox {}",
              signature == null ? "missing" : "wrong", inbox.get().id());
          return ParsedWebhook.respond(WebhookResponse.unauthorized());
        }
        verifiedSecrets.add(secret);
      }
    }
    if (routes.values().stream().noneMatch(Optional::isPresent)) {
      // the body is unverified: only well-formed ids reach the log
      LOG.info("WhatsApp webhook for unknown phone_number_id(s) {} acknowledged and dropped",
          ids.stream().map(id -> PHONE_NUMBER_ID.matcher(id).matches() ? id : "(malformed)")
              .distinct().toList());
      return ParsedWebhook.respond(WebhookResponse.ok("ok"));
    }
    List<RoutedEvent> events = new ArrayList<>();
    for (JsonNode entry : root.path("entry")) {
      for (JsonNode change : entry.path("changes")) {
        JsonNode value = change.path("value");
        String id = Graph.text(value.path("metadata"), "phone_number_id");
        Optional<Inbox> inbox = id == null ? Optional.empty() : routes.get(id);
        if (inbox.isEmpty()) {
          LOG.info("WhatsApp change for unknown phone_number_id {} acknowledged and dropped", id);
          continue;
        }
        if (!"messages".equals(Graph.text(change, "field"))) {
          LOG.debug("WhatsApp change of field '{}' ignored", Graph.text(change, "field"));
          continue;
        }
        for (InboundEvent event : change(value)) {
          events.add(RoutedEvent.of(inbox.get(), event));
        }
      }
    }
    return ParsedWebhook.accept(events);
  }

  private static boolean signatureMatches(String appSecret, byte[] body, String header) {
    if (appSecret == null || header == null) {
      return false;
    }
    String expected = "sha256=" + Hmac.sha256Hex(appSecret, body);
    return Hmac.constantTimeEquals(expected, header.strip().toLowerCase(Locale.ROOT));
  }

  /** Every message and status of one change's value. */
  static List<InboundEvent> change(JsonNode value) {
    for (JsonNode error : value.path("errors")) {
      LOG.warn("WhatsApp reported an error for the number: {}", Graph.describeError(error));
    }
    Map<String, String> names = new HashMap<>();
    for (JsonNode c : value.path("contacts")) {
      String waId = Graph.text(c, "wa_id");
      if (waId != null) {
        names.put(waId, Graph.text(c.path("profile"), "name"));
      }
    }
    List<InboundEvent> events = new ArrayList<>();
    for (JsonNode m : value.path("messages")) {
      String from = Graph.text(m, "from");
      if (from == null || from.isBlank()) {
        LOG.info("WhatsApp message without sender skipped");
        continue;
      }
      events.add(message(m, from, names));
    }
    for (JsonNode s : value.path("statuses")) {
      status(s).ifPresent(events::add);
    }
    return events;
  }

  // ------------------------------------------------------------------ messages

  static InboundMessage message(JsonNode m, String from, Map<String, String> names) {
    String type = Graph.text(m, "type");
    type = type == null ? "unknown" : type;
    InboundContact contact = new InboundContact(from, names.get(from), null, "+" + from, null,
        Map.of());
    String content = null;
    ContentType contentType = ContentType.TEXT;
    Map<String, Object> attributes = new LinkedHashMap<>();
    List<Attachment> attachments = new ArrayList<>();
    Map<String, Object> conversationAttributes = new LinkedHashMap<>();

    JsonNode context = m.path("context");
    if (Graph.text(context, "id") != null) {
      attributes.put("in_reply_to_external_id", Graph.text(context, "id"));
    }
    if (context.path("forwarded").asBoolean(false)
        || context.path("frequently_forwarded").asBoolean(false)) {
      attributes.put("forwarded", true);
    }
    if (m.path("referral").isObject()) {
      conversationAttributes.put("referral", Graph.map(m.get("referral")));
    }

    switch (type) {
      case "text" -> content = Graph.text(m.path("text"), "body");
      case "image", "video", "audio", "document", "sticker" -> {
        JsonNode media = m.path(type);
        content = Graph.text(media, "caption");
        attachments.add(media(type, media));
      }
      case "location" -> {
        JsonNode l = m.path("location");
        Map<String, Object> meta = new LinkedHashMap<>();
        putIfPresent(meta, "name", Graph.text(l, "name"));
        putIfPresent(meta, "address", Graph.text(l, "address"));
        putIfPresent(meta, "url", Graph.text(l, "url"));
        Double lat = l.hasNonNull("latitude") ? l.get("latitude").asDouble() : null;
        Double lng = l.hasNonNull("longitude") ? l.get("longitude").asDouble() : null;
        attachments.add(new Attachment(0, 0, 0, AttachmentType.LOCATION, null, null, null, null,
            null, lat, lng, meta));
      }
      case "contacts" -> {
        for (JsonNode c : m.path("contacts")) {
          String name = Graph.text(c.path("name"), "formatted_name");
          if (!c.path("phones").isArray() || c.path("phones").isEmpty()) {
            Map<String, Object> meta = new LinkedHashMap<>();
            putIfPresent(meta, "name", name);
            attachments.add(contactCard(meta));
          }
          for (JsonNode phone : c.path("phones")) {
            Map<String, Object> meta = new LinkedHashMap<>();
            putIfPresent(meta, "name", name);
            putIfPresent(meta, "phone", Graph.text(phone, "phone"));
            putIfPresent(meta, "wa_id", Graph.text(phone, "wa_id"));
            putIfPresent(meta, "type", Graph.text(phone, "type"));
            attachments.add(contactCard(meta));
          }
        }
        if (attachments.size() > Message.MAX_ATTACHMENTS) {
          // a message holds at most 15 attachments: the other cards stay on the message
          List<Attachment> rest = attachments.subList(Message.MAX_ATTACHMENTS, attachments.size());
          attributes.put("more_contacts", rest.stream().map(Attachment::meta).toList());
          rest.clear();
        }
      }
      case "interactive" -> {
        JsonNode i = m.path("interactive");
        String kind = Graph.text(i, "type");
        JsonNode reply = kind == null ? null : i.get(kind);
        if (("button_reply".equals(kind) || "list_reply".equals(kind)) && reply != null) {
          content = Graph.text(reply, "title");
          Map<String, Object> selected = new LinkedHashMap<>();
          selected.put("type", kind);
          putIfPresent(selected, "id", Graph.text(reply, "id"));
          putIfPresent(selected, "title", Graph.text(reply, "title"));
          putIfPresent(selected, "description", Graph.text(reply, "description"));
          attributes.put("interactive_reply", selected);
        } else {
          contentType = ContentType.UNSUPPORTED;
          unsupported(attributes, "interactive:" + kind, m);
        }
      }
      case "button" -> {
        JsonNode b = m.path("button");
        content = Graph.text(b, "text");
        putIfPresent(attributes, "button_payload", Graph.text(b, "payload"));
      }
      case "reaction" -> {
        JsonNode r = m.path("reaction");
        String emoji = Graph.text(r, "emoji");
        content = emoji == null || emoji.isEmpty() ? null : emoji;
        attributes.put("is_reaction", true);
        if (content == null) {
          attributes.put("reaction_removed", true);
        }
        putIfPresent(attributes, "in_reply_to_external_id", Graph.text(r, "message_id"));
      }
      default -> {
        contentType = ContentType.UNSUPPORTED;
        String inner = Graph.text(m.path("unsupported"), "type");
        unsupported(attributes, "unsupported".equals(type) && inner != null ? inner : type, m);
      }
    }
    return new InboundMessage(Graph.text(m, "id"), contact, content, contentType, attributes,
        attachments, conversationAttributes, false, timestamp(m));
  }

  private static void unsupported(Map<String, Object> attributes, String type, JsonNode m) {
    attributes.put("is_unsupported", true);
    attributes.put("unsupported_type", type);
    JsonNode errors = m.path("errors");
    String error = errors.isArray() && !errors.isEmpty() ? Graph.describeError(errors.get(0))
        : "message type '" + type + "' is not supported";
    attributes.put("provider_error", error);
  }

  private static Attachment media(String type, JsonNode media) {
    AttachmentType fileType = switch (type) {
      case "image" -> AttachmentType.IMAGE;
      case "video" -> AttachmentType.VIDEO;
      case "audio" -> AttachmentType.AUDIO;
      case "sticker" -> AttachmentType.STICKER;
      default -> AttachmentType.FILE;
    };
    Map<String, Object> meta = new LinkedHashMap<>();
    String mediaId = Graph.text(media, "id");
    if (mediaId != null) {
      meta.put(Attachment.PENDING_FETCH, true);
      meta.put("media_id", mediaId);
    }
    putIfPresent(meta, "sha256", Graph.text(media, "sha256"));
    if (media.path("voice").asBoolean(false)) {
      meta.put("voice", true);
    }
    if (media.path("animated").asBoolean(false)) {
      meta.put("animated", true);
    }
    return new Attachment(0, 0, 0, fileType, null, null, Graph.text(media, "filename"),
        Graph.text(media, "mime_type"), null, null, null, meta);
  }

  private static Attachment contactCard(Map<String, Object> meta) {
    return new Attachment(0, 0, 0, AttachmentType.CONTACT, null, null, null, null, null, null,
        null, meta);
  }

  private static void putIfPresent(Map<String, Object> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static Instant timestamp(JsonNode node) {
    String t = Graph.text(node, "timestamp");
    if (t == null) {
      return null;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(t));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ statuses

  static Optional<InboundEvent> status(JsonNode s) {
    String id = Graph.text(s, "id");
    String value = Graph.text(s, "status");
    if (id == null || value == null) {
      return Optional.empty();
    }
    MessageStatus status = switch (value) {
      case "sent" -> MessageStatus.SENT;
      case "delivered" -> MessageStatus.DELIVERED;
      case "read" -> MessageStatus.READ;
      case "failed" -> MessageStatus.FAILED;
      default -> null;
    };
    if (status == null) {
      LOG.debug("WhatsApp status '{}' ignored", value);
      return Optional.empty();
    }
    String error = null;
    if (status == MessageStatus.FAILED) {
      JsonNode errors = s.path("errors");
      error = errors.isArray() && !errors.isEmpty() ? Graph.describeError(errors.get(0))
          : "unknown: the provider reported the message failed without an error";
    }
    return Optional.of(new InboundStatus(id, status, error));
  }
}
