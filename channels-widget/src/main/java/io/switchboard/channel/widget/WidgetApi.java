package io.switchboard.channel.widget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.ConflictException;
import io.switchboard.ContactDraft;
import io.switchboard.NotFoundException;
import io.switchboard.Page;
import io.switchboard.RateLimitedException;
import io.switchboard.Switchboard;
import io.switchboard.ValidationException;
import io.switchboard.VerificationRequiredException;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.internal.Hmac;
import io.switchboard.internal.Json;
import io.switchboard.internal.Tokens;
import io.switchboard.internal.VisitorViews;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The widget API: framework-neutral handlers, one method per route, that the host mounts
 * below its own path (the paths here are relative to it). Thread-safe; create one per
 * {@link Switchboard} with {@link #create(Switchboard)}.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>method</th><th>visitor token</th></tr>
 *   <tr><td>{@code GET /widget/config}</td><td>{@link #config}</td><td>optional</td></tr>
 *   <tr><td>{@code GET /widget/conversations}</td><td>{@link #conversation}</td><td>yes</td></tr>
 *   <tr><td>{@code POST /widget/conversations}</td><td>{@link #createConversation}</td><td>yes</td></tr>
 *   <tr><td>{@code POST /widget/conversations/toggle_typing}</td><td>{@link #toggleTyping}</td><td>yes</td></tr>
 *   <tr><td>{@code POST /widget/conversations/update_last_seen}</td><td>{@link #updateLastSeen}</td><td>yes</td></tr>
 *   <tr><td>{@code GET /widget/messages}</td><td>{@link #messages}</td><td>yes</td></tr>
 *   <tr><td>{@code POST /widget/messages}</td><td>{@link #sendMessage}</td><td>yes</td></tr>
 *   <tr><td>{@code PATCH /widget/contact}</td><td>{@link #updateContact}</td><td>yes</td></tr>
 *   <tr><td>{@code POST /widget/contact/set_user}</td><td>{@link #setUser}</td><td>yes</td></tr>
 *   <tr><td>{@code POST /widget/events}</td><td>{@link #event}</td><td>yes</td></tr>
 * </table>
 *
 * <p>Every request carries the {@code website_token} query parameter, which selects the inbox.
 * A request whose {@code Origin} is not among the inbox's {@code allowed_origins} is refused
 * with 403 (when the list is set, a request without {@code Origin} is refused too). The
 * visitor token, returned by {@code config}, goes in the {@value #TOKEN_HEADER} header; a
 * missing, forged or expired one gets 401. Answers carry CORS headers for the request's
 * origin; {@link #handle} also answers {@code OPTIONS} preflights.
 *
 * <p>Every message a visitor sends goes through {@code incoming().receive}, idempotent by the
 * client's {@code echo_id}. Agents' replies reach the visitor over the real-time hub: subscribe
 * with the {@code pubsub_token} that {@code config} returns.
 */
public final class WidgetApi {
  private static final Logger LOG = LoggerFactory.getLogger(WidgetApi.class);
  /** The header carrying the visitor token. */
  public static final String TOKEN_HEADER = "X-Widget-Token";
  /** How long a visitor token lives unless configured otherwise: 30 days. */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofDays(30);
  private static final int MAX_BODY = 256 * 1024;
  private static final ObjectMapper M = Json.mapper();

  private final Switchboard switchboard;
  private final Clock clock;
  private final Duration tokenTtl;

  private WidgetApi(Switchboard switchboard, Duration tokenTtl) {
    this.switchboard = switchboard;
    this.clock = switchboard.channelContext().clock();
    this.tokenTtl = tokenTtl;
    if (switchboard.channel(ChannelType.WEB_WIDGET).isEmpty()) {
      throw new IllegalArgumentException("register WidgetChannel.create() on the Switchboard "
          + "builder before creating the widget API");
    }
  }

  /** The widget API on {@code switchboard}, with visitor tokens valid for 30 days. */
  public static WidgetApi create(Switchboard switchboard) {
    return create(switchboard, DEFAULT_TOKEN_TTL);
  }

  /** The widget API with visitor tokens valid for {@code tokenTtl}. */
  public static WidgetApi create(Switchboard switchboard, Duration tokenTtl) {
    Objects.requireNonNull(switchboard, "switchboard");
    if (tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new IllegalArgumentException("tokenTtl must be positive");
    }
    return new WidgetApi(switchboard, tokenTtl);
  }

  /**
   * Routes a request by method and path (relative to the host's mount point: {@code
   * /widget/...}) to the handler below, and answers {@code OPTIONS} preflights. The simplest
   * way to mount the API: one catch-all route.
   */
  public WidgetResponse handle(WidgetRequest r) {
    String path = r.path().endsWith("/") && r.path().length() > 1
        ? r.path().substring(0, r.path().length() - 1) : r.path();
    if (r.method().equals("OPTIONS")) {
      return preflight(r);
    }
    return switch (r.method() + " " + path) {
      case "GET /widget/config" -> config(r);
      case "GET /widget/conversations" -> conversation(r);
      case "POST /widget/conversations" -> createConversation(r);
      case "POST /widget/conversations/toggle_typing" -> toggleTyping(r);
      case "POST /widget/conversations/update_last_seen" -> updateLastSeen(r);
      case "GET /widget/messages" -> messages(r);
      case "POST /widget/messages" -> sendMessage(r);
      case "PATCH /widget/contact" -> updateContact(r);
      case "POST /widget/contact/set_user" -> setUser(r);
      case "POST /widget/events" -> event(r);
      default -> error(404, "not_found", "no widget route " + r.method() + " " + path);
    };
  }

  /**
   * Answers a CORS preflight: 204 with the allowed methods and headers for an allowed origin,
   * 403 otherwise.
   */
  public WidgetResponse preflight(WidgetRequest r) {
    return guard(r, false, s -> new WidgetResponse(204, Map.of(
        "Access-Control-Allow-Methods", "GET, POST, PATCH, OPTIONS",
        "Access-Control-Allow-Headers", "Content-Type, " + TOKEN_HEADER,
        "Access-Control-Max-Age", "600"), null));
  }

  /**
   * {@code GET /widget/config?website_token=…}: the widget's settings and the visitor's
   * session. Without a valid visitor token, a new visitor is created (a contact and a contact
   * inbox with a random UUID source id); with one, the same visitor gets a fresh token. The
   * answer: {@code token}, {@code expires_at}, {@code pubsub_token}, {@code source_id},
   * {@code contact}, {@code hmac_verified} and {@code widget} (name, greeting, colour, welcome
   * texts, pre-chat form).
   */
  public WidgetResponse config(WidgetRequest r) {
    return guard(r, false, s -> {
      ContactInbox ci = visitor(s.inbox, r).orElseGet(() ->
          switchboard.contacts().findOrCreateContactInbox(s.inbox.accountId(), s.inbox.id(),
              new InboundContact(Tokens.uuid(), null, null, null, null, Map.of())));
      return ok(session(s.inbox, ci, true));
    });
  }

  /**
   * {@code GET /widget/conversations}: the visitor's latest conversation (resolved ones
   * included) as {@code {"conversation": {…}}}, or {@code {"conversation": null}}.
   */
  public WidgetResponse conversation(WidgetRequest r) {
    return guard(r, true, s -> {
      ObjectNode out = M.createObjectNode();
      out.set("conversation", latest(s).map(WidgetApi::conversationView).orElse(null));
      return ok(out);
    });
  }

  /**
   * {@code POST /widget/conversations}: the pre-chat form. Body: {@code contact} (name, email,
   * phone_number: the fields the inbox's pre-chat form requires must be there), {@code
   * message} ({@code content}, {@code echo_id}) and optional {@code custom_attributes} for the
   * conversation. Answers {@code {"conversation": …, "message": …}} with 201.
   */
  public WidgetResponse createConversation(WidgetRequest r) {
    return guard(r, true, s -> {
      JsonNode body = body(r);
      JsonNode contact = body.path("contact");
      Map<String, String> settings = s.inbox.settings();
      if (WidgetChannel.bool(settings, WidgetChannel.PRE_CHAT_FORM_ENABLED,
          WidgetChannel.PRE_CHAT_FORM_ENABLED)) {
        for (String field : WidgetChannel.list(settings.get(WidgetChannel.PRE_CHAT_FORM_FIELDS))) {
          if (text(contact, field) == null) {
            throw new ValidationException("contact." + field, "is required by the pre-chat form");
          }
        }
      }
      ContactDraft draft = ContactDraft.empty().withName(text(contact, "name"))
          .withEmail(text(contact, "email")).withPhoneNumber(text(contact, "phone_number"));
      if (draft.name() != null || draft.email() != null || draft.phoneNumber() != null) {
        identify(s, draft, false);
      }
      JsonNode m = body.path("message");
      Message message = receive(s, text(m, "content"), text(m, "echo_id"), Map.of());
      Conversation c = switchboard.conversations().get(s.inbox.accountId(),
          message.conversationId());
      JsonNode custom = body.path("custom_attributes");
      if (custom.isObject() && custom.size() > 0) {
        c = switchboard.conversations().setCustomAttributes(s.inbox.accountId(), c.id(),
            M.convertValue(custom, Json.mapper().getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class)),
            Actor.contact(s.contact()));
      }
      ObjectNode out = M.createObjectNode();
      out.set("conversation", conversationView(c));
      out.set("message", messageView(message));
      return json(201, out);
    });
  }

  /**
   * {@code GET /widget/messages}: the public messages of the visitor's latest conversation,
   * oldest first, at most {@code limit} (default 50); {@code before} (the previous answer's
   * {@code next_cursor}) pages back in time. Private notes and activity messages are never
   * included. {@code sequence} is the sequence of the account's latest event, read before the
   * list: a real-time subscription with it as {@code last_sequence} replays every event
   * committed after the list was read, so that none falls between the list and the socket.
   */
  public WidgetResponse messages(WidgetRequest r) {
    return guard(r, true, s -> {
      long sequence = switchboard.latestEventSequence(s.inbox.accountId());
      ObjectNode out = M.createObjectNode();
      out.put("sequence", sequence);
      ArrayNode list = out.putArray("messages");
      Optional<Conversation> c = latest(s);
      if (c.isPresent()) {
        int limit = r.param("limit").map(WidgetApi::parseLimit).orElse(50);
        Page<Message> page = switchboard.messages().list(s.inbox.accountId(), c.get().id(),
            r.param("before").orElse(null), limit);
        page.items().stream().filter(Message::isPublic).map(WidgetApi::messageView)
            .forEach(list::add);
        out.put("next_cursor", page.nextCursor());
        out.set("conversation", conversationView(c.get()));
      } else {
        out.putNull("next_cursor");
        out.putNull("conversation");
      }
      return ok(out);
    });
  }

  /**
   * {@code POST /widget/messages}: the visitor sends a message. Body: {@code content}, {@code
   * echo_id} (the client's id for it: sending the same echo id again returns the stored message
   * and creates nothing), and, to answer an {@code input_select}, {@code form} or {@code
   * input_email} message, {@code submitted_values} with {@code in_reply_to} (that message's
   * id). Answers 201 with the message.
   */
  public WidgetResponse sendMessage(WidgetRequest r) {
    return guard(r, true, s -> {
      JsonNode body = body(r);
      String content = text(body, "content");
      Map<String, Object> attributes = new LinkedHashMap<>();
      JsonNode submitted = body.get("submitted_values");
      if (submitted != null && !submitted.isNull()) {
        Message question = question(s, body);
        attributes.put("submitted_values", M.convertValue(submitted, Object.class));
        attributes.put("in_reply_to", question.id());
        if (content == null) {
          content = summary(submitted);
        }
        String email = submittedEmail(question, submitted);
        if (email != null) {
          identify(s, ContactDraft.empty().withEmail(email), false);
        }
      }
      Message message = receive(s, content, text(body, "echo_id"), attributes);
      return json(201, messageView(message));
    });
  }

  /**
   * {@code POST /widget/conversations/toggle_typing}: body {@code {"typing_status": "on"}} or
   * {@code "off"}; emits {@code conversation.typing_on|off} for the visitor's open
   * conversation. 200 with {@code {}}; nothing happens without a conversation.
   */
  public WidgetResponse toggleTyping(WidgetRequest r) {
    return guard(r, true, s -> {
      String status = text(body(r), "typing_status");
      if (!"on".equals(status) && !"off".equals(status)) {
        throw new ValidationException("typing_status", "must be on or off");
      }
      latest(s).ifPresent(c -> switchboard.conversations().typing(s.inbox.accountId(), c.id(),
          status.equals("on"), Actor.contact(s.contact())));
      return ok(M.createObjectNode());
    });
  }

  /** The widget event names {@link #event} accepts: Chatwoot's one, the widget was opened. */
  public static final String WIDGET_TRIGGERED = "webwidget.triggered";

  /**
   * {@code POST /widget/events}: the widget reports an event, as Chatwoot's widget does: {@code
   * {"name": "webwidget.triggered", "event_info": {"initiated_at": {...}, "referer": "..."}}}
   * when the visitor opens it. Emits {@code webwidget.triggered} (see {@link
   * io.switchboard.ContactService#widgetTriggered}) with the reported {@code event_info} plus
   * {@code widget_language} (the {@code locale} parameter) and {@code browser_language} (the
   * first {@code Accept-Language}), which the inbox's agent bot and the account's webhooks
   * receive. An unknown name or an {@code event_info} that is not an object gets 400. Answers
   * {@code {}}.
   */
  public WidgetResponse event(WidgetRequest r) {
    return guard(r, true, s -> {
      JsonNode body = body(r);
      String name = text(body, "name");
      if (!WIDGET_TRIGGERED.equals(name)) {
        throw new ValidationException("name", "must be " + WIDGET_TRIGGERED);
      }
      JsonNode info = body.get("event_info");
      if (info != null && !info.isNull() && !info.isObject()) {
        throw new ValidationException("event_info", "must be an object");
      }
      ObjectNode merged = info == null || info.isNull() ? M.createObjectNode()
          : ((ObjectNode) info).deepCopy();
      r.param("locale").filter(v -> !v.isBlank())
          .ifPresent(v -> merged.put("widget_language", clip(v, 35)));
      r.header("Accept-Language").map(WidgetApi::firstLanguage).filter(v -> !v.isEmpty())
          .ifPresent(v -> merged.put("browser_language", v));
      Map<String, Object> eventInfo = M.convertValue(merged,
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
      switchboard.contacts().widgetTriggered(s.inbox.accountId(), s.contactInbox().id(),
          eventInfo, Actor.contact(s.contact()));
      return ok(M.createObjectNode());
    });
  }

  /** The first language tag of an {@code Accept-Language} header, without its weight. */
  static String firstLanguage(String header) {
    String first = header.split(",", 2)[0];
    return clip(first.split(";", 2)[0].strip(), 35);
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }

  /**
   * {@code POST /widget/conversations/update_last_seen}: the visitor saw the conversation:
   * the agents' public messages among its latest 100 that are not read yet are marked {@code
   * read} ({@code message.updated} for each). Answers {@code {"updated": n}}.
   */
  public WidgetResponse updateLastSeen(WidgetRequest r) {
    return guard(r, true, s -> {
      int updated = 0;
      Optional<Conversation> c = latest(s);
      if (c.isPresent()) {
        Page<Message> page = switchboard.messages().list(s.inbox.accountId(), c.get().id(),
            null, 100);
        for (Message m : page.items()) {
          if ((m.messageType() == MessageType.OUTGOING || m.messageType() == MessageType.TEMPLATE)
              && m.isPublic() && m.status() != MessageStatus.READ
              && m.status() != MessageStatus.FAILED) {
            switchboard.messages().updateStatus(s.inbox.accountId(), m.id(), MessageStatus.READ,
                null);
            updated++;
          }
        }
      }
      return ok(M.createObjectNode().put("updated", updated));
    });
  }

  /**
   * {@code PATCH /widget/contact}: the visitor gives a name, email or phone number (or
   * additional / custom attributes). An email or phone number of another contact merges the
   * visitor into that contact, unless that contact is verified (an identity verified with
   * the inbox's HMAC): then 403 {@code verification_required}, as for any change of a
   * verified contact by a visitor who is not verified itself. The identifier can only be set
   * with {@code set_user}.
   */
  public WidgetResponse updateContact(WidgetRequest r) {
    return guard(r, true, s -> {
      JsonNode body = body(r);
      if (body.has("identifier")) {
        throw new ValidationException("identifier", "is set with POST /widget/contact/set_user");
      }
      identify(s, draft(body), false);
      return ok(contactView(s));
    });
  }

  /**
   * {@code POST /widget/contact/set_user}: the embedding site tells who the visitor is. Body:
   * {@code identifier}, {@code identifier_hash} (hex HMAC-SHA256 of the identifier with the
   * inbox's {@code hmac_token}), and optional {@code name}, {@code email}, {@code
   * phone_number}, {@code custom_attributes}. A wrong hash gets 401 {@code
   * invalid_identifier_hash}; a missing one too when {@code hmac_mandatory} is true. Without a
   * valid hash the visitor is never merged into a verified contact (403 {@code
   * verification_required}). With a valid hash the visitor's contact inbox is marked {@code
   * hmac_verified}, and the other visitors on the contact that are not verified (who claimed
   * its email, say, before its owner signed in) move to contacts of their own. A visitor
   * already identified as someone else starts a new session: the answer then carries a new
   * {@code token} and {@code pubsub_token}.
   */
  public WidgetResponse setUser(WidgetRequest r) {
    return guard(r, true, s -> {
      JsonNode body = body(r);
      String identifier = text(body, "identifier");
      if (identifier == null) {
        throw new ValidationException("identifier", "is required");
      }
      if (identifier.length() > 255) {
        throw new ValidationException("identifier", "must have at most 255 characters");
      }
      String hash = text(body, "identifier_hash");
      String secret = s.inbox.setting(WidgetChannel.HMAC_TOKEN);
      boolean mandatory = WidgetChannel.bool(s.inbox.settings(), WidgetChannel.HMAC_MANDATORY,
          WidgetChannel.HMAC_MANDATORY);
      boolean verified = false;
      if (hash != null || mandatory) {
        verified = secret != null && Hmac.constantTimeEquals(
            Hmac.sha256Hex(secret, identifier), hash == null ? null : hash.toLowerCase(java.util.Locale.ROOT));
        if (!verified) {
          LOG.info("widget inbox {}: set_user refused, identifier_hash {}", s.inbox.id(),
              hash == null ? "missing" : "invalid");
          return error(401, "invalid_identifier_hash",
              "identifier_hash is not the HMAC-SHA256 of the identifier with this website's key");
        }
      }
      Session session = s;
      boolean newSession = false;
      Contact current = s.contact();
      if (current.identifier() != null && !current.identifier().equals(identifier)) {
        // someone else signs in on this browser: a new visitor, never a merge of two people
        ContactInbox fresh = switchboard.contacts().findOrCreateContactInbox(
            s.inbox.accountId(), s.inbox.id(),
            new InboundContact(Tokens.uuid(), null, null, null, null, Map.of()));
        session = new Session(s.inbox, s.origin, fresh);
        newSession = true;
      }
      identify(session, draft(body).withIdentifier(identifier), verified);
      if (newSession) {
        return ok(session(s.inbox, session.contactInbox(), false));
      }
      return ok(contactView(session));
    });
  }

  // ---------------------------------------------------------------------------------------

  /**
   * Identifies the visitor's contact with {@code draft} ({@link
   * io.switchboard.ContactService#identifyVisitor}): an unverified visitor never takes over or
   * changes a verified contact ({@link VerificationRequiredException}, answered with 403), and
   * a verification moves the visitors who claimed the identity unverified to contacts of their
   * own.
   */
  private void identify(Session s, ContactDraft draft, boolean verified) {
    switchboard.contacts().identifyVisitor(s.inbox.accountId(), s.contactInbox().id(), draft,
        verified, Actor.contact(s.contact()));
    s.reload();
  }

  private Message receive(Session s, String content, String echoId, Map<String, Object> attributes) {
    if (s.contact().blocked()) {
      throw new Blocked();
    }
    if (content == null || content.isBlank()) {
      throw new ValidationException("content", "a message needs content");
    }
    if (echoId != null && (echoId.length() > 64 || !echoId.matches("[A-Za-z0-9_.:-]+"))) {
      throw new ValidationException("echo_id", "must be at most 64 characters of A-Z, a-z, 0-9, _ . : -");
    }
    // scoped by the contact inbox, so that one visitor's echo id never finds another's message
    String sourceId = "widget:" + s.contactInbox().id() + ":"
        + (echoId != null ? echoId : Tokens.uuid());
    Contact c = s.contact();
    InboundMessage in = new InboundMessage(sourceId,
        new InboundContact(s.contactInbox().sourceId(), c.name(), null, null, null, Map.of()),
        content, ContentType.TEXT, attributes, List.of(), Map.of(), false, null);
    return switchboard.incoming().receive(s.inbox.accountId(), s.inbox.id(), in);
  }

  private Message question(Session s, JsonNode body) {
    JsonNode id = body.get("in_reply_to");
    if (id == null || !id.canConvertToLong()) {
      throw new ValidationException("in_reply_to", "is required with submitted_values: the id "
          + "of the message answered");
    }
    Message q = findMessage(s.inbox.accountId(), id.asLong())
        .filter(m -> latestConversationIds(s).contains(m.conversationId()) && m.isPublic())
        .orElseThrow(() -> new NotFoundException("message", s.inbox.accountId(), id.asLong()));
    if (q.contentType() != ContentType.INPUT_SELECT && q.contentType() != ContentType.FORM
        && q.contentType() != ContentType.INPUT_EMAIL && q.contentType() != ContentType.INPUT_TEXT
        && q.contentType() != ContentType.INPUT_TEXTAREA && q.contentType() != ContentType.INPUT_CSAT) {
      throw new ValidationException("in_reply_to", "is a " + q.contentType().wireName()
          + " message, which takes no submitted values");
    }
    return q;
  }

  private Optional<Message> findMessage(long accountId, long messageId) {
    try {
      return Optional.of(switchboard.messages().get(accountId, messageId));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private List<Long> latestConversationIds(Session s) {
    return latest(s).map(c -> List.of(c.id())).orElse(List.of());
  }

  private static String submittedEmail(Message question, JsonNode submitted) {
    if (question.contentType() == ContentType.INPUT_EMAIL) {
      JsonNode e = submitted.isObject() ? submitted.get("email") : submitted;
      return e != null && e.isTextual() && e.asText().contains("@") ? e.asText().strip() : null;
    }
    return null;
  }

  /** A readable text of submitted values: titles of chosen items, or field values. */
  private static String summary(JsonNode submitted) {
    List<String> parts = new ArrayList<>();
    if (submitted.isArray()) {
      for (JsonNode item : submitted) {
        if (item.isObject()) {
          String v = item.hasNonNull("title") ? item.get("title").asText()
              : item.hasNonNull("value") ? item.get("value").asText() : item.toString();
          parts.add(v);
        } else {
          parts.add(item.asText());
        }
      }
    } else if (submitted.isObject()) {
      submitted.fields().forEachRemaining(f -> parts.add(
          f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
    } else {
      parts.add(submitted.asText());
    }
    String text = String.join(", ", parts);
    return text.isBlank() ? "(answered)" : text;
  }

  private Optional<Conversation> latest(Session s) {
    return switchboard.conversations().findLatest(s.inbox.accountId(), s.contactInbox().id(), true);
  }

  private Optional<ContactInbox> visitor(Inbox inbox, WidgetRequest r) {
    String secret = inbox.setting(WidgetChannel.TOKEN_SECRET);
    OptionalLong id = VisitorTokens.verify(secret, inbox.id(),
        r.header(TOKEN_HEADER).orElse(null), clock.instant());
    if (id.isEmpty()) {
      return Optional.empty();
    }
    return switchboard.contacts().findContactInbox(inbox.accountId(), id.getAsLong())
        .filter(ci -> ci.inboxId() == inbox.id());
  }

  private ObjectNode session(Inbox inbox, ContactInbox ci, boolean withWidget) {
    Instant expiresAt = clock.instant().plus(tokenTtl);
    ObjectNode out = M.createObjectNode();
    out.put("token", VisitorTokens.issue(inbox.setting(WidgetChannel.TOKEN_SECRET), inbox.id(),
        ci.id(), expiresAt));
    out.put("expires_at", expiresAt.toString());
    out.put("pubsub_token", ci.pubsubToken());
    out.put("source_id", ci.sourceId());
    out.setAll(contactView(ci, switchboard.contacts().get(inbox.accountId(), ci.contactId())));
    if (withWidget) {
      Map<String, String> st = inbox.settings();
      ObjectNode w = out.putObject("widget");
      w.put("name", inbox.name());
      w.put("greeting_message", inbox.greetingMessage());
      w.put("widget_color", st.get("widget_color"));
      w.put("welcome_title", st.get("welcome_title"));
      w.put("welcome_tagline", st.get("welcome_tagline"));
      w.put("hmac_mandatory", WidgetChannel.bool(st, WidgetChannel.HMAC_MANDATORY,
          WidgetChannel.HMAC_MANDATORY));
      ObjectNode pre = w.putObject("pre_chat_form");
      pre.put("enabled", WidgetChannel.bool(st, WidgetChannel.PRE_CHAT_FORM_ENABLED,
          WidgetChannel.PRE_CHAT_FORM_ENABLED));
      ArrayNode fields = pre.putArray("fields");
      WidgetChannel.list(st.get(WidgetChannel.PRE_CHAT_FORM_FIELDS)).forEach(fields::add);
      pre.put("message", st.get(WidgetChannel.PRE_CHAT_MESSAGE));
    }
    return out;
  }

  private ObjectNode contactView(Session s) {
    return contactView(s.contactInbox(), s.contact());
  }

  /**
   * {@code contact} and {@code hmac_verified}; the contact is {@code null} when the visitor's
   * own identity is not verified but the contact is (has a verified contact inbox): such a
   * visitor never reads a verified contact.
   */
  private ObjectNode contactView(ContactInbox ci, Contact contact) {
    boolean hidden = !ci.hmacVerified() && switchboard.contacts()
        .contactInboxes(contact.accountId(), contact.id()).stream()
        .anyMatch(ContactInbox::hmacVerified);
    ObjectNode out = M.createObjectNode();
    out.set("contact", hidden ? null : contactNode(contact));
    out.put("hmac_verified", ci.hmacVerified());
    return out;
  }

  private static ObjectNode contactNode(Contact c) {
    ObjectNode n = M.createObjectNode();
    n.put("id", c.id());
    n.put("name", c.name());
    n.put("email", c.email());
    n.put("phone_number", c.phoneNumber());
    n.put("identifier", c.identifier());
    return n;
  }

  private static ObjectNode conversationView(Conversation c) {
    return VisitorViews.conversation(c);
  }

  /**
   * A message as the visitor sees it: the same shape as the {@code data} of the real-time
   * {@code message.*} events a visitor's socket receives ({@link VisitorViews#message}).
   */
  static ObjectNode messageView(Message m) {
    return VisitorViews.message(m);
  }

  private static ContactDraft draft(JsonNode body) {
    ContactDraft d = ContactDraft.empty().withName(text(body, "name"))
        .withEmail(text(body, "email")).withPhoneNumber(text(body, "phone_number"));
    JsonNode custom = body.get("custom_attributes");
    if (custom != null && custom.isObject()) {
      d = d.withCustomAttributes(M.convertValue(custom, M.getTypeFactory()
          .constructMapType(LinkedHashMap.class, String.class, Object.class)));
    }
    JsonNode additional = body.get("additional_attributes");
    if (additional != null && additional.isObject()) {
      d = d.withAdditionalAttributes(M.convertValue(additional, M.getTypeFactory()
          .constructMapType(LinkedHashMap.class, String.class, Object.class)));
    }
    if (d.email() != null && !d.email().contains("@")) {
      throw new ValidationException("email", "is not an email address");
    }
    return d;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new ValidationException(field, "must be a string");
    }
    String s = v.asText();
    return s.isBlank() ? null : s;
  }

  private static JsonNode body(WidgetRequest r) {
    if (r.body() == null || r.body().isBlank()) {
      return M.createObjectNode();
    }
    if (r.body().length() > MAX_BODY) {
      throw new ValidationException("body", "is over " + MAX_BODY + " characters");
    }
    JsonNode n;
    try {
      n = M.readTree(r.body());
    } catch (java.io.IOException e) {
      throw new ValidationException("body", "is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new ValidationException("body", "must be a JSON object");
    }
    return n;
  }

  private static int parseLimit(String v) {
    try {
      return Math.max(1, Math.min(100, Integer.parseInt(v)));
    } catch (NumberFormatException e) {
      throw new ValidationException("limit", "must be a number");
    }
  }

  // ---------------------------------------------------------------------------------------

  /** Resolves the inbox, checks the origin and, when needed, the visitor token. */
  private WidgetResponse guard(WidgetRequest r, boolean needsVisitor,
      Function<Session, WidgetResponse> work) {
    Optional<Inbox> inbox = r.param(WidgetChannel.WEBSITE_TOKEN).flatMap(t ->
        switchboard.admin().findInboxByRoutingKey(ChannelType.WEB_WIDGET, t));
    if (inbox.isEmpty()) {
      return error(404, "unknown_website", "no widget inbox has this website_token");
    }
    String origin = r.header("Origin").orElse(null);
    List<String> allowed = WidgetChannel.origins(inbox.get().setting(WidgetChannel.ALLOWED_ORIGINS));
    String normalised = origin == null ? null : WidgetChannel.normaliseOrigin(origin);
    if (!allowed.isEmpty() && (normalised == null || !allowed.contains(normalised))) {
      LOG.info("widget inbox {}: request from an origin not allowed", inbox.get().id());
      return error(403, "origin_not_allowed", "this origin may not use this website's widget");
    }
    Map<String, String> cors = new LinkedHashMap<>();
    if (origin != null) {
      cors.put("Access-Control-Allow-Origin", origin);
      cors.put("Vary", "Origin");
    }
    Session session = new Session(inbox.get(), origin, null);
    if (needsVisitor) {
      Optional<ContactInbox> ci = visitor(inbox.get(), r);
      if (ci.isEmpty()) {
        return error(401, "invalid_token", "the visitor token is missing, forged or expired: "
            + "call GET /widget/config again").withHeaders(cors);
      }
      session = new Session(inbox.get(), origin, ci.get());
    }
    try {
      return work.apply(session).withHeaders(cors);
    } catch (ValidationException e) {
      return error(400, "bad_request", e.getMessage()).withHeaders(cors);
    } catch (NotFoundException e) {
      return error(404, "not_found", e.getMessage()).withHeaders(cors);
    } catch (RateLimitedException e) {
      return error(429, "rate_limited", "too many messages: wait a minute").withHeaders(cors);
    } catch (ConflictException e) {
      return error(409, "conflict", e.getMessage()).withHeaders(cors);
    } catch (Blocked e) {
      return error(403, "blocked", "this contact is blocked").withHeaders(cors);
    } catch (VerificationRequiredException e) {
      LOG.info("widget inbox {}: an unverified visitor was refused a change of a verified "
          + "contact", inbox.get().id());
      return error(403, "verification_required",
          "this identity is verified: sign in with a valid identifier_hash").withHeaders(cors);
    }
  }

  private static WidgetResponse ok(JsonNode body) {
    return json(200, body);
  }

  private static WidgetResponse json(int status, JsonNode body) {
    return new WidgetResponse(status, Map.of("Content-Type", WidgetResponse.CONTENT_TYPE),
        body.toString());
  }

  private static WidgetResponse error(int status, String code, String message) {
    ObjectNode n = M.createObjectNode();
    n.put("error", code);
    n.put("message", message);
    return json(status, n);
  }

  /** A blocked contact tried to send a message. */
  private static final class Blocked extends RuntimeException {
    Blocked() {
      super(null, null, false, false);
    }
  }

  /** One request's inbox and visitor; the contact is read when needed and after changes. */
  private final class Session {
    final Inbox inbox;
    final String origin;
    private ContactInbox contactInbox;
    private Contact contact;

    Session(Inbox inbox, String origin, ContactInbox contactInbox) {
      this.inbox = inbox;
      this.origin = origin;
      this.contactInbox = contactInbox;
    }

    ContactInbox contactInbox() {
      return contactInbox;
    }

    Contact contact() {
      if (contact == null) {
        contact = switchboard.contacts().get(inbox.accountId(), contactInbox.contactId());
      }
      return contact;
    }

    void reload() {
      contactInbox = switchboard.contacts().findContactInbox(inbox.accountId(), contactInbox.id())
          .orElseThrow();
      contact = null;
    }
  }
}
