package io.switchboard.channel.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.internal.Hmac;
import io.switchboard.internal.Json;
import io.switchboard.jdbi.Fixture;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContentType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.Role;
import io.switchboard.model.SenderType;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class WidgetApiContract {
  static final String SHOP = "https://shop.example";

  /** A clock the tests move by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-24T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MutableClock clock = new MutableClock();
  Fixture f;
  WidgetApi api;
  Account acme;
  Inbox site;
  User anna;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    f = new Fixture(newStore(), b -> b.channel(WidgetChannel.create()).clock(clock));
    api = WidgetApi.create(f.sb, Duration.ofHours(1));
    acme = f.account("Acme");
    site = widgetInbox(Map.of(WidgetChannel.ALLOWED_ORIGINS, SHOP));
    anna = f.sb.admin().createAgent(acme.id(), "Anna", "anna@acme.test", Role.ADMINISTRATOR, null);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  Inbox widgetInbox(Map<String, String> extra) {
    Map<String, String> settings = new LinkedHashMap<>(WidgetChannel.settings(SHOP, null));
    settings.putAll(extra);
    return f.sb.admin().createInbox(acme.id(), InboxDraft.of("Website", ChannelType.WEB_WIDGET,
        settings));
  }

  // --- a tiny client ------------------------------------------------------------------

  record Visitor(Inbox inbox, String token, String pubsubToken) {}

  WidgetResponse call(Inbox inbox, String method, String path, String token, String body) {
    return call(inbox, method, path, token, body, SHOP);
  }

  WidgetResponse call(Inbox inbox, String method, String path, String token, String body,
      String origin) {
    Map<String, String> headers = new HashMap<>();
    if (origin != null) {
      headers.put("Origin", origin);
    }
    if (token != null) {
      headers.put(WidgetApi.TOKEN_HEADER, token);
    }
    return api.handle(new WidgetRequest(method, path,
        Map.of("website_token", inbox.setting(WidgetChannel.WEBSITE_TOKEN)), headers, body));
  }

  static JsonNode json(WidgetResponse r) {
    return Json.tree(r.body());
  }

  Visitor visit(Inbox inbox) {
    WidgetResponse r = call(inbox, "GET", "/widget/config", null, null);
    assertThat(r.status()).isEqualTo(200);
    JsonNode n = json(r);
    return new Visitor(inbox, n.get("token").asText(), n.get("pubsub_token").asText());
  }

  WidgetResponse send(Visitor v, String content, String echoId) {
    return call(v.inbox(), "POST", "/widget/messages", v.token(),
        "{\"content\": " + Json.write(content) + ", \"echo_id\": \"" + echoId + "\"}");
  }

  ContactInbox contactInbox(Visitor v) {
    return f.sb.contacts().findByPubsubToken(v.pubsubToken()).orElseThrow();
  }

  Contact contact(Visitor v) {
    return f.sb.contacts().get(acme.id(), contactInbox(v).contactId());
  }

  static String hash(Inbox inbox, String identifier) {
    return Hmac.sha256Hex(inbox.setting(WidgetChannel.HMAC_TOKEN), identifier);
  }

  WidgetResponse setUser(Visitor v, String identifier, String hash, String email) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("identifier", identifier);
    if (hash != null) {
      body.put("identifier_hash", hash);
    }
    if (email != null) {
      body.put("email", email);
    }
    return call(v.inbox(), "POST", "/widget/contact/set_user", v.token(), Json.write(body));
  }

  // --- config ---------------------------------------------------------------------------

  @Test
  void configCreatesAVisitorWithAUuidSourceIdAndAValidToken() {
    WidgetResponse r = call(site, "GET", "/widget/config", null, null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsEntry("Access-Control-Allow-Origin", SHOP);
    JsonNode n = json(r);
    ContactInbox ci = f.sb.contacts().findByPubsubToken(n.get("pubsub_token").asText())
        .orElseThrow();
    assertThat(ci.inboxId()).isEqualTo(site.id());
    assertThat(UUID.fromString(ci.sourceId()).version()).isEqualTo(4);
    assertThat(n.get("source_id").asText()).isEqualTo(ci.sourceId());
    assertThat(n.get("contact").get("id").asLong()).isEqualTo(ci.contactId());
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
    assertThat(Instant.parse(n.get("expires_at").asText())).isEqualTo(clock.now.plusSeconds(3600));
    assertThat(n.get("widget").get("name").asText()).isEqualTo("Website");

    WidgetResponse conversations = call(site, "GET", "/widget/conversations",
        n.get("token").asText(), null);
    assertThat(conversations.status()).isEqualTo(200);
    assertThat(json(conversations).get("conversation").isNull()).isTrue();
  }

  @Test
  void configWithAValidTokenKeepsTheSameVisitorAndRenewsTheToken() {
    Visitor v = visit(site);
    clock.now = clock.now.plusSeconds(1800);

    WidgetResponse again = call(site, "GET", "/widget/config", v.token(), null);

    JsonNode n = json(again);
    assertThat(n.get("pubsub_token").asText()).isEqualTo(v.pubsubToken());
    assertThat(Instant.parse(n.get("expires_at").asText())).isEqualTo(clock.now.plusSeconds(3600));
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
  }

  @Test
  void unknownWebsiteTokenIsNotFound() {
    WidgetResponse r = api.handle(WidgetRequest.of("GET", "/widget/config",
        Map.of("website_token", "no-such-website-token"), Map.of("Origin", SHOP)));

    assertThat(r.status()).isEqualTo(404);
    assertThat(json(r).get("error").asText()).isEqualTo("unknown_website");
  }

  // --- messages -------------------------------------------------------------------------

  @Test
  void sendingCreatesAnIncomingMessageInTheInboxOncePerEchoId() {
    Visitor v = visit(site);

    WidgetResponse first = send(v, "Hello, is the blue one in stock?", "echo-1");
    WidgetResponse again = send(v, "Hello, is the blue one in stock?", "echo-1");

    assertThat(first.status()).isEqualTo(201);
    long id = json(first).get("id").asLong();
    assertThat(json(again).get("id").asLong()).isEqualTo(id);
    Message m = f.sb.messages().get(acme.id(), id);
    assertThat(m.inboxId()).isEqualTo(site.id());
    assertThat(m.messageType()).isEqualTo(MessageType.INCOMING);
    assertThat(m.senderType()).isEqualTo(SenderType.CONTACT);
    assertThat(m.senderId()).isEqualTo(contact(v).id());
    assertThat(m.content()).isEqualTo("Hello, is the blue one in stock?");
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
    assertThat(f.sb.conversations().get(acme.id(), m.conversationId()).contactInboxId())
        .isEqualTo(contactInbox(v).id());
  }

  WidgetResponse trigger(Visitor v, String body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Origin", SHOP);
    headers.put("Accept-Language", "de-CH,de;q=0.9,en;q=0.8");
    if (v.token() != null) {
      headers.put(WidgetApi.TOKEN_HEADER, v.token());
    }
    return api.handle(new WidgetRequest("POST", "/widget/events", Map.of("website_token",
        v.inbox().setting(WidgetChannel.WEBSITE_TOKEN), "locale", "fr"), headers, body));
  }

  @Test
  void openingTheWidgetEmitsWebwidgetTriggeredWithTheVisitorsLatestConversation() {
    Visitor v = visit(site);

    WidgetResponse first = trigger(v, "{\"name\": \"webwidget.triggered\", \"event_info\": "
        + "{\"referer\": \"https://shop.example/pricing\", \"initiated_at\": "
        + "{\"timestamp\": \"Tue Nov 24 2026\"}}}");
    long conversationId = json(send(v, "hello", "echo-1")).get("conversation_id").asLong();
    WidgetResponse second = trigger(v, "{\"name\": \"webwidget.triggered\"}");

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(200);
    List<Event> events = f.syncEvents(EventType.WEBWIDGET_TRIGGERED);
    assertThat(events).hasSize(2).allSatisfy(e -> {
      assertThat(e.inboxId()).isEqualTo(site.id());
      assertThat(e.widgetTrigger().contactInboxId()).isEqualTo(contactInbox(v).id());
      assertThat(e.widgetTrigger().contactId()).isEqualTo(contact(v).id());
      assertThat(e.widgetTrigger().sourceId()).isEqualTo(contactInbox(v).sourceId());
      assertThat(e.performer().type()).isEqualTo(SenderType.CONTACT);
      assertThat(e.visibleToContact()).isFalse();
    });
    Map<String, Object> info = events.get(0).widgetTrigger().eventInfo();
    assertThat(events.get(0).conversationId()).isNull();
    assertThat(info).containsEntry("referer", "https://shop.example/pricing")
        .containsEntry("widget_language", "fr").containsEntry("browser_language", "de-CH")
        .containsEntry("initiated_at", Map.of("timestamp", "Tue Nov 24 2026"));
    assertThat(events.get(1).conversationId()).isEqualTo(conversationId);
    assertThat(events.get(1).widgetTrigger().conversationId()).isEqualTo(conversationId);
    // the event log keeps it, readable again as it was emitted
    assertThat(f.sb.events(acme.id(), 0, 100)).filteredOn(
        e -> e.type() == EventType.WEBWIDGET_TRIGGERED).extracting(Event::data)
        .containsExactly(events.get(0).data(), events.get(1).data());
  }

  @Test
  void aWidgetEventWithAnUnknownNameBadInfoOrNoVisitorIsRefused() {
    Visitor v = visit(site);

    assertThat(trigger(v, "{\"name\": \"widget.exploded\"}").status()).isEqualTo(400);
    assertThat(trigger(v, "{\"name\": \"webwidget.triggered\", \"event_info\": [1]}").status())
        .isEqualTo(400);
    assertThat(trigger(v, "{\"name\": \"webwidget.triggered\", \"event_info\": {\"referer\": \""
        + "x".repeat(9000) + "\"}}").status()).isEqualTo(400);
    assertThat(trigger(new Visitor(site, null, null), "{\"name\": \"webwidget.triggered\"}")
        .status()).isEqualTo(401);
    assertThat(f.syncEvents(EventType.WEBWIDGET_TRIGGERED)).isEmpty();
  }

  @Test
  void oneVisitorsEchoIdNeverReturnsAnotherVisitorsMessage() {
    Visitor a = visit(site);
    Visitor b = visit(site);

    long first = json(send(a, "mine", "same-echo")).get("id").asLong();
    long second = json(send(b, "yours", "same-echo")).get("id").asLong();

    assertThat(second).isNotEqualTo(first);
    assertThat(f.sb.messages().get(acme.id(), second).content()).isEqualTo("yours");
  }

  @Test
  void messageListShowsRepliesButNeverPrivateNotesOrActivity() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    f.sb.messages().reply(acme.id(), in.conversationId(), MessageDraft.text("Hello <b>there</b>"),
        io.switchboard.model.Actor.user(anna));
    f.sb.messages().note(acme.id(), in.conversationId(), "internal: VIP",
        io.switchboard.model.Actor.user(anna));
    f.sb.conversations().assign(acme.id(), in.conversationId(), anna.id(),
        io.switchboard.model.Actor.user(anna));

    JsonNode n = json(call(site, "GET", "/widget/messages", v.token(), null));

    List<String> contents = new java.util.ArrayList<>();
    n.get("messages").forEach(m -> contents.add(m.get("content").asText()));
    assertThat(contents).containsExactly("Hi", "Hello <b>there</b>");
  }

  @Test
  void emptyOrMalformedMessagesAreBadRequests() {
    Visitor v = visit(site);

    assertThat(call(site, "POST", "/widget/messages", v.token(), "{\"content\": \"\"}").status())
        .isEqualTo(400);
    assertThat(call(site, "POST", "/widget/messages", v.token(), "{not json").status())
        .isEqualTo(400);
    assertThat(call(site, "POST", "/widget/messages", v.token(),
        "{\"content\": \"x\", \"echo_id\": \"<script>\"}").status()).isEqualTo(400);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }

  @Test
  void submittedValuesAnswerAnInputSelectMessage() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    Message question = f.sb.messages().reply(acme.id(), in.conversationId(),
        MessageDraft.builder().content("Which size?").contentType(ContentType.INPUT_SELECT)
            .contentAttribute("items", List.of(Map.of("title", "Small", "value", "s"),
                Map.of("title", "Large", "value", "l")))
            .build(), io.switchboard.model.Actor.user(anna));

    WidgetResponse r = call(site, "POST", "/widget/messages", v.token(),
        "{\"echo_id\": \"e2\", \"in_reply_to\": " + question.id()
            + ", \"submitted_values\": [{\"title\": \"Large\", \"value\": \"l\"}]}");

    assertThat(r.status()).isEqualTo(201);
    Message answer = f.sb.messages().get(acme.id(), json(r).get("id").asLong());
    assertThat(answer.messageType()).isEqualTo(MessageType.INCOMING);
    assertThat(answer.content()).isEqualTo("Large");
    assertThat(answer.contentAttributes().get("in_reply_to")).isEqualTo(question.id());
    assertThat(answer.contentAttributes().get("submitted_values"))
        .isEqualTo(List.of(Map.of("title", "Large", "value", "l")));
  }

  @Test
  void aFormsAnswersAreStoredAndShownWithTheForm() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    Message form = f.sb.messages().reply(acme.id(), in.conversationId(),
        MessageDraft.builder().content("Tell us about the order").contentType(ContentType.FORM)
            .contentAttribute("items", List.of(
                Map.of("name", "order", "label", "Order number", "type", "text"),
                Map.of("name", "notes", "label", "Notes", "type", "text_area")))
            .build(), io.switchboard.model.Actor.user(anna));
    Message text = f.sb.messages().reply(acme.id(), in.conversationId(),
        MessageDraft.text("Just text"), io.switchboard.model.Actor.user(anna));

    WidgetResponse r = call(site, "POST", "/widget/messages", v.token(),
        "{\"echo_id\": \"e2\", \"in_reply_to\": " + form.id() + ", \"submitted_values\": ["
            + "{\"name\": \"order\", \"title\": \"Order number\", \"value\": \"1042\"},"
            + "{\"name\": \"notes\", \"value\": \"left at the door\"}]}");

    assertThat(r.status()).isEqualTo(201);
    Message answer = f.sb.messages().get(acme.id(), json(r).get("id").asLong());
    assertThat(answer.messageType()).isEqualTo(MessageType.INCOMING);
    assertThat(answer.conversationId()).isEqualTo(in.conversationId());
    assertThat(answer.content()).isEqualTo("Order number, left at the door");
    assertThat(answer.contentAttributes().get("in_reply_to")).isEqualTo(form.id());
    assertThat(answer.contentAttributes().get("submitted_values")).isEqualTo(List.of(
        Map.of("name", "order", "title", "Order number", "value", "1042"),
        Map.of("name", "notes", "value", "left at the door")));
    // the visitor's list shows the form with its fields and the answer with its values
    Map<Long, JsonNode> listed = new HashMap<>();
    json(call(site, "GET", "/widget/messages", v.token(), null)).get("messages")
        .forEach(m -> listed.put(m.get("id").asLong(), m));
    assertThat(listed.get(form.id()).get("content_attributes").get("items")).hasSize(2);
    assertThat(listed.get(answer.id()).get("content_attributes").get("submitted_values").get(0)
        .get("value").asText()).isEqualTo("1042");
    // a plain text message takes no answers
    WidgetResponse wrong = call(site, "POST", "/widget/messages", v.token(),
        "{\"echo_id\": \"e3\", \"in_reply_to\": " + text.id()
            + ", \"submitted_values\": [{\"value\": \"x\"}]}");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(json(wrong).get("message").asText()).contains("takes no submitted values");
  }

  @Test
  void submittedEmailSetsTheContactsEmail() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    Message ask = f.sb.messages().reply(acme.id(), in.conversationId(),
        MessageDraft.builder().content("Your email?").contentType(ContentType.INPUT_EMAIL).build(),
        io.switchboard.model.Actor.user(anna));

    WidgetResponse r = call(site, "POST", "/widget/messages", v.token(),
        "{\"echo_id\": \"e2\", \"in_reply_to\": " + ask.id()
            + ", \"submitted_values\": {\"email\": \"dana@example.test\"}}");

    assertThat(r.status()).isEqualTo(201);
    assertThat(contact(v).email()).isEqualTo("dana@example.test");
  }

  // --- pre-chat form ----------------------------------------------------------------------

  @Test
  void preChatFormRequiresItsFieldsAndStartsTheConversation() {
    Inbox withForm = widgetInbox(Map.of(WidgetChannel.PRE_CHAT_FORM_ENABLED, "true",
        WidgetChannel.PRE_CHAT_FORM_FIELDS, "name,email"));
    Visitor v = visit(withForm);

    WidgetResponse missing = call(withForm, "POST", "/widget/conversations", v.token(),
        "{\"contact\": {\"name\": \"Dana\"}, \"message\": {\"content\": \"Hi\", \"echo_id\": \"p1\"}}");
    WidgetResponse ok = call(withForm, "POST", "/widget/conversations", v.token(),
        "{\"contact\": {\"name\": \"Dana\", \"email\": \"Dana@Example.test\"},"
            + " \"message\": {\"content\": \"Hi\", \"echo_id\": \"p1\"},"
            + " \"custom_attributes\": {\"plan\": \"pro\"}}");

    assertThat(missing.status()).isEqualTo(400);
    assertThat(ok.status()).isEqualTo(201);
    JsonNode n = json(ok);
    assertThat(contact(v).name()).isEqualTo("Dana");
    assertThat(contact(v).email()).isEqualTo("dana@example.test");
    long conversationId = n.get("conversation").get("id").asLong();
    assertThat(f.sb.conversations().get(acme.id(), conversationId).customAttributes())
        .containsEntry("plan", "pro");
    assertThat(n.get("message").get("content").asText()).isEqualTo("Hi");
  }

  // --- identity ---------------------------------------------------------------------------

  @Test
  void badIdentifierHashIsRefusedWhenMandatory() {
    Inbox strict = widgetInbox(Map.of(WidgetChannel.HMAC_MANDATORY, "true"));
    Visitor v = visit(strict);

    WidgetResponse missing = setUser(v, "user-42", null, null);
    WidgetResponse wrong = setUser(v, "user-42", hash(strict, "user-43"), null);

    assertThat(missing.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(json(wrong).get("error").asText()).isEqualTo("invalid_identifier_hash");
    assertThat(contact(v).identifier()).isNull();
    assertThat(contactInbox(v).hmacVerified()).isFalse();

    WidgetResponse right = setUser(v, "user-42", hash(strict, "user-42"), "dana@example.test");

    assertThat(right.status()).isEqualTo(200);
    assertThat(json(right).get("hmac_verified").asBoolean()).isTrue();
    assertThat(contact(v).identifier()).isEqualTo("user-42");
    assertThat(contact(v).email()).isEqualTo("dana@example.test");
    assertThat(contactInbox(v).hmacVerified()).isTrue();
  }

  @Test
  void aWrongHashIsRefusedEvenWhenVerificationIsOptional() {
    Visitor v = visit(site);

    assertThat(setUser(v, "user-42", "00ff", null).status()).isEqualTo(401);
    assertThat(setUser(v, "user-42", null, null).status()).isEqualTo(200);
    assertThat(contact(v).identifier()).isEqualTo("user-42");
    assertThat(contactInbox(v).hmacVerified()).isFalse();
  }

  @Test
  void anUnverifiedVisitorCannotTakeOverAVerifiedContact() {
    Visitor owner = visit(site);
    assertThat(setUser(owner, "user-42", hash(site, "user-42"), "dana@example.test").status())
        .isEqualTo(200);
    send(owner, "my order", "o1");
    long ownerContact = contact(owner).id();
    Visitor intruder = visit(site);
    long intruderContact = contact(intruder).id();

    WidgetResponse byIdentifier = setUser(intruder, "user-42", null, null);
    WidgetResponse byEmail = call(site, "PATCH", "/widget/contact", intruder.token(),
        "{\"email\": \"dana@example.test\"}");

    assertThat(byIdentifier.status()).isEqualTo(403);
    assertThat(byEmail.status()).isEqualTo(403);
    assertThat(json(byEmail).get("error").asText()).isEqualTo("verification_required");
    assertThat(contact(intruder).id()).isEqualTo(intruderContact);
    assertThat(contact(owner).id()).isEqualTo(ownerContact);
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).isEmpty();
    JsonNode seen = json(call(site, "GET", "/widget/messages", intruder.token(), null));
    assertThat(seen.get("messages")).isEmpty();
  }

  @Test
  void aVerifiedVisitorOnAnotherBrowserJoinsTheVerifiedContact() {
    Visitor phone = visit(site);
    setUser(phone, "user-42", hash(site, "user-42"), null);
    Visitor laptop = visit(site);

    WidgetResponse r = setUser(laptop, "user-42", hash(site, "user-42"), null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(contact(laptop).id()).isEqualTo(contact(phone).id());
    assertThat(contactInbox(laptop).hmacVerified()).isTrue();
  }

  @Test
  void anUnverifiedVisitorMayJoinAnUnverifiedContact() {
    Visitor first = visit(site);
    call(site, "PATCH", "/widget/contact", first.token(), "{\"email\": \"lee@example.test\"}");
    Visitor second = visit(site);

    WidgetResponse r = call(site, "PATCH", "/widget/contact", second.token(),
        "{\"email\": \"lee@example.test\", \"name\": \"Lee\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(contact(second).id()).isEqualTo(contact(first).id());
    assertThat(contact(first).name()).isEqualTo("Lee");
  }

  @Test
  void anIdentityClaimedUnverifiedIsNotSharedWithItsOwnerOnceVerified() {
    Inbox strict = widgetInbox(Map.of(WidgetChannel.HMAC_MANDATORY, "true"));
    Visitor mallory = visit(strict);
    long malloryConversation = json(send(mallory, "hello from mallory", "m1"))
        .get("conversation_id").asLong();
    // claims Bob's email before Bob ever signs in: no hash is needed for that
    assertThat(call(strict, "PATCH", "/widget/contact", mallory.token(),
        "{\"email\": \"bob@example.test\"}").status()).isEqualTo(200);
    Visitor bob = visit(strict);

    WidgetResponse signIn = call(strict, "POST", "/widget/contact/set_user", bob.token(),
        Json.write(Map.of("identifier", "bob-1", "identifier_hash", hash(strict, "bob-1"),
            "email", "bob@example.test", "name", "Bob", "phone_number", "+4915100001")));

    assertThat(signIn.status()).isEqualTo(200);
    Contact verified = contact(bob);
    assertThat(verified.identifier()).isEqualTo("bob-1");
    assertThat(verified.email()).isEqualTo("bob@example.test");
    assertThat(contactInbox(bob).hmacVerified()).isTrue();
    // Mallory's session is on a visitor contact of its own, with her conversation
    Contact malloryContact = contact(mallory);
    assertThat(malloryContact.id()).isNotEqualTo(verified.id());
    assertThat(malloryContact.email()).isNull();
    assertThat(f.sb.conversations().get(acme.id(), malloryConversation).contactId())
        .isEqualTo(malloryContact.id());
    assertThat(f.sb.messages().list(acme.id(), malloryConversation, null, 50).items())
        .filteredOn(m -> m.senderType() == SenderType.CONTACT)
        .extracting(Message::senderId).containsOnly(malloryContact.id());
    assertThat(f.sb.contacts().contactInboxes(acme.id(), verified.id()))
        .extracting(ContactInbox::id).containsExactly(contactInbox(bob).id());
    // she reads nothing of Bob
    String config = call(strict, "GET", "/widget/config", mallory.token(), null).body();
    assertThat(config).doesNotContain("Bob", "bob-1", "+4915100001", "bob@example.test");
    // her changes reach her own contact only, and Bob's email is his now
    WidgetResponse change = call(strict, "PATCH", "/widget/contact", mallory.token(),
        "{\"email\": \"attacker@evil.test\", \"name\": \"Mallory\"}");
    WidgetResponse again = call(strict, "PATCH", "/widget/contact", mallory.token(),
        "{\"email\": \"bob@example.test\"}");
    assertThat(change.status()).isEqualTo(200);
    assertThat(json(change).get("contact").get("id").asLong()).isEqualTo(malloryContact.id());
    assertThat(again.status()).isEqualTo(403);
    Contact bobNow = f.sb.contacts().get(acme.id(), verified.id());
    assertThat(bobNow.email()).isEqualTo("bob@example.test");
    assertThat(bobNow.name()).isEqualTo("Bob");
    assertThat(bobNow.phoneNumber()).isEqualTo("+4915100001");
  }

  @Test
  void anUnverifiedVisitorOnAVerifiedContactNeitherReadsNorChangesIt() {
    Visitor bob = visit(site);
    call(site, "POST", "/widget/contact/set_user", bob.token(), Json.write(Map.of(
        "identifier", "bob-1", "identifier_hash", hash(site, "bob-1"), "name", "Bob")));
    Visitor other = visit(site);
    // an agent merges the two contacts: the other session shares the verified contact
    f.sb.contacts().merge(acme.id(), contact(bob).id(), contact(other).id(),
        io.switchboard.model.Actor.user(anna));
    assertThat(contact(other).id()).isEqualTo(contact(bob).id());

    JsonNode config = json(call(site, "GET", "/widget/config", other.token(), null));
    WidgetResponse rename = call(site, "PATCH", "/widget/contact", other.token(),
        "{\"name\": \"Mallory\"}");
    WidgetResponse sameIdentifier = setUser(other, "bob-1", null, "mallory@evil.test");

    assertThat(config.get("contact").isNull()).isTrue();
    assertThat(config.get("hmac_verified").asBoolean()).isFalse();
    assertThat(rename.status()).isEqualTo(403);
    assertThat(json(rename).get("error").asText()).isEqualTo("verification_required");
    assertThat(sameIdentifier.status()).isEqualTo(403);
    assertThat(contact(bob).name()).isEqualTo("Bob");
    assertThat(contact(bob).email()).isNull();
    // the verified session still reads and changes it
    JsonNode own = json(call(site, "GET", "/widget/config", bob.token(), null));
    assertThat(own.get("contact").get("name").asText()).isEqualTo("Bob");
    assertThat(call(site, "PATCH", "/widget/contact", bob.token(), "{\"name\": \"Robert\"}")
        .status()).isEqualTo(200);
    assertThat(contact(bob).name()).isEqualTo("Robert");
  }

  @Test
  void aVisitorWhoVerifiesLaterKeepsTheirConversationAndContact() {
    Inbox strict = widgetInbox(Map.of(WidgetChannel.HMAC_MANDATORY, "true"));
    Visitor v = visit(strict);
    long conversation = json(send(v, "where is my order?", "o1")).get("conversation_id").asLong();
    assertThat(call(strict, "PATCH", "/widget/contact", v.token(),
        "{\"email\": \"dana@example.test\", \"name\": \"Dana\"}").status()).isEqualTo(200);
    long before = contact(v).id();

    WidgetResponse r = setUser(v, "dana-1", hash(strict, "dana-1"), "dana@example.test");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("contact").get("name").asText()).isEqualTo("Dana");
    assertThat(contact(v).id()).isEqualTo(before);
    assertThat(contactInbox(v).hmacVerified()).isTrue();
    assertThat(f.sb.conversations().get(acme.id(), conversation).contactId()).isEqualTo(before);
    JsonNode listed = json(call(strict, "GET", "/widget/messages", v.token(), null));
    assertThat(listed.get("messages").get(0).get("content").asText())
        .isEqualTo("where is my order?");
    assertThat(json(call(strict, "GET", "/widget/config", v.token(), null)).get("contact")
        .get("identifier").asText()).isEqualTo("dana-1");
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).isEmpty();
  }

  @Test
  void withoutMandatoryVerificationUnverifiedContactsCanStillBeIdentifiedAndUpdated() {
    Visitor v = visit(site);
    assertThat(setUser(v, "lee-1", null, "lee@example.test").status()).isEqualTo(200);

    WidgetResponse r = call(site, "PATCH", "/widget/contact", v.token(),
        "{\"name\": \"Lee\", \"phone_number\": \"+4915100002\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("contact").get("name").asText()).isEqualTo("Lee");
    assertThat(contact(v).identifier()).isEqualTo("lee-1");
    assertThat(contact(v).phoneNumber()).isEqualTo("+4915100002");
    assertThat(contactInbox(v).hmacVerified()).isFalse();
  }

  @Test
  void signingInAsSomeoneElseStartsANewVisitorInsteadOfMergingTwoPeople() {
    Visitor v = visit(site);
    setUser(v, "user-1", hash(site, "user-1"), null);
    long first = contact(v).id();

    WidgetResponse r = setUser(v, "user-2", hash(site, "user-2"), null);

    assertThat(r.status()).isEqualTo(200);
    JsonNode n = json(r);
    assertThat(n.get("pubsub_token").asText()).isNotEqualTo(v.pubsubToken());
    assertThat(n.get("contact").get("identifier").asText()).isEqualTo("user-2");
    assertThat(f.sb.contacts().get(acme.id(), first).identifier()).isEqualTo("user-1");
    assertThat(n.get("contact").get("id").asLong()).isNotEqualTo(first);
  }

  // --- origins and tokens ---------------------------------------------------------------

  @Test
  void aForeignOriginIsRefused() {
    Visitor v = visit(site);

    WidgetResponse foreign = call(site, "POST", "/widget/messages", v.token(),
        "{\"content\": \"hi\", \"echo_id\": \"x\"}", "https://evil.example");
    WidgetResponse none = call(site, "GET", "/widget/config", null, null, null);
    WidgetResponse preflight = call(site, "OPTIONS", "/widget/messages", null, null,
        "https://evil.example");
    WidgetResponse allowedPreflight = call(site, "OPTIONS", "/widget/messages", null, null, SHOP);

    assertThat(foreign.status()).isEqualTo(403);
    assertThat(json(foreign).get("error").asText()).isEqualTo("origin_not_allowed");
    assertThat(none.status()).isEqualTo(403);
    assertThat(preflight.status()).isEqualTo(403);
    assertThat(allowedPreflight.status()).isEqualTo(204);
    assertThat(allowedPreflight.headers().get("Access-Control-Allow-Headers"))
        .contains(WidgetApi.TOKEN_HEADER);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }

  @Test
  void anyOriginIsAllowedWhenTheListIsEmpty() {
    Inbox open = widgetInbox(Map.of());

    assertThat(call(open, "GET", "/widget/config", null, null, "http://localhost:9999").status())
        .isEqualTo(200);
    assertThat(call(open, "GET", "/widget/config", null, null, null).status()).isEqualTo(200);
  }

  @Test
  void anExpiredTokenIsRefused() {
    Visitor v = visit(site);
    assertThat(send(v, "before", "b1").status()).isEqualTo(201);

    clock.now = clock.now.plus(Duration.ofHours(1)).plusSeconds(1);

    WidgetResponse r = send(v, "after", "a1");
    assertThat(r.status()).isEqualTo(401);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_token");
    assertThat(call(site, "GET", "/widget/messages", v.token(), null).status()).isEqualTo(401);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
  }

  @Test
  void aMissingOrForgedTokenIsRefused() {
    Visitor v = visit(site);
    String[] parts = v.token().split("\\.");
    String otherVisitor = (Long.parseLong(parts[0]) + 1) + "." + parts[1] + "." + parts[2];
    String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2];
    Inbox other = widgetInbox(Map.of());

    assertThat(send(new Visitor(site, null, null), "x", "1").status()).isEqualTo(401);
    assertThat(send(new Visitor(site, otherVisitor, null), "x", "2").status()).isEqualTo(401);
    assertThat(send(new Visitor(site, longer, null), "x", "3").status()).isEqualTo(401);
    assertThat(send(new Visitor(other, v.token(), null), "x", "4").status()).isEqualTo(401);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }

  // --- typing and last seen -------------------------------------------------------------

  @Test
  void typingEmitsTypingEventsByTheContact() {
    Visitor v = visit(site);
    send(v, "Hi", "e1");

    assertThat(call(site, "POST", "/widget/conversations/toggle_typing", v.token(),
        "{\"typing_status\": \"on\"}").status()).isEqualTo(200);
    call(site, "POST", "/widget/conversations/toggle_typing", v.token(),
        "{\"typing_status\": \"off\"}");

    List<Event> on = f.syncEvents(EventType.CONVERSATION_TYPING_ON);
    assertThat(on).hasSize(1);
    assertThat(on.get(0).performer().type()).isEqualTo(SenderType.CONTACT);
    assertThat(on.get(0).performer().id()).isEqualTo(contact(v).id());
    assertThat(f.syncEvents(EventType.CONVERSATION_TYPING_OFF)).hasSize(1);
    assertThat(call(site, "POST", "/widget/conversations/toggle_typing", v.token(),
        "{\"typing_status\": \"maybe\"}").status()).isEqualTo(400);
  }

  @Test
  void lastSeenMarksTheAgentsMessagesRead() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    Message reply = f.sb.messages().reply(acme.id(), in.conversationId(),
        MessageDraft.text("Hello!"), io.switchboard.model.Actor.user(anna));
    Message note = f.sb.messages().note(acme.id(), in.conversationId(), "internal",
        io.switchboard.model.Actor.user(anna));

    WidgetResponse r = call(site, "POST", "/widget/conversations/update_last_seen", v.token(),
        null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(json(r).get("updated").asInt()).isEqualTo(1);
    assertThat(f.sb.messages().get(acme.id(), reply.id()).status()).isEqualTo(MessageStatus.READ);
    assertThat(f.sb.messages().get(acme.id(), note.id()).status()).isEqualTo(MessageStatus.SENT);
    assertThat(f.sb.messages().get(acme.id(), in.id()).status()).isEqualTo(MessageStatus.SENT);
    assertThat(json(call(site, "POST", "/widget/conversations/update_last_seen", v.token(), null))
        .get("updated").asInt()).isZero();
  }

  // --- mounted on a real HTTP server ----------------------------------------------------

  @Test
  void theApiAndScriptWorkMountedOnAnHttpServer() throws Exception {
    com.sun.net.httpserver.HttpServer server = JdkHttpServerMount.start(api);
    try {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String query = "?website_token=" + site.setting(WidgetChannel.WEBSITE_TOKEN);
      java.net.http.HttpResponse<String> config = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(base + "/widget/config" + query)).header("Origin", SHOP).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      String token = Json.tree(config.body()).get("token").asText();
      java.net.http.HttpResponse<String> sent = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(base + "/widget/messages" + query))
              .header("Origin", SHOP).header(WidgetApi.TOKEN_HEADER, token)
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                  "{\"content\": \"over HTTP\", \"echo_id\": \"h1\"}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      java.net.http.HttpResponse<String> script = http.send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(base + "/widget.js")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());

      assertThat(config.statusCode()).isEqualTo(200);
      assertThat(config.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
      assertThat(sent.statusCode()).isEqualTo(201);
      assertThat(f.sb.messages().get(acme.id(), Json.tree(sent.body()).get("id").asLong())
          .content()).isEqualTo("over HTTP");
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.body()).isEqualTo(WidgetAssets.script());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theVisitorsPubsubTokenReceivesTheAgentsRepliesButNotNotes() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    List<Event> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (io.switchboard.realtime.RealtimeHub hub = io.switchboard.realtime.RealtimeHub.create(f.sb);
        io.switchboard.realtime.Subscription sub = hub.subscribeContact(v.pubsubToken(), 0,
            received::add)) {
      f.sb.messages().note(acme.id(), in.conversationId(), "internal",
          io.switchboard.model.Actor.user(anna));
      f.sb.messages().reply(acme.id(), in.conversationId(), MessageDraft.text("On its way"),
          io.switchboard.model.Actor.user(anna));

      org.awaitility.Awaitility.await().until(() -> received.stream()
          .anyMatch(e -> e.type() == EventType.MESSAGE_CREATED));
      assertThat(received).filteredOn(e -> e.type() == EventType.MESSAGE_CREATED)
          .extracting(e -> e.message().content()).containsExactly("On its way");
    }
  }

  @Test
  void theMessageListCarriesTheSequenceASocketResumesAfterSoNoReplyFallsBetween() {
    Visitor v = visit(site);
    Message in = f.sb.messages().get(acme.id(), json(send(v, "Hi", "e1")).get("id").asLong());
    List<Event> log = f.sb.events(acme.id(), 0, 1000);

    JsonNode listed = json(call(site, "GET", "/widget/messages", v.token(), null));
    // an agent replies after the list was read, before the visitor's socket subscribes
    f.sb.messages().reply(acme.id(), in.conversationId(), MessageDraft.text("Between the two"),
        io.switchboard.model.Actor.user(anna));

    long sequence = listed.get("sequence").asLong();
    assertThat(sequence).isEqualTo(log.get(log.size() - 1).sequence());
    assertThat(listed.get("messages")).extracting(m -> m.get("content").asText())
        .containsExactly("Hi");
    List<Event> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (io.switchboard.realtime.RealtimeHub hub = io.switchboard.realtime.RealtimeHub.create(f.sb);
        io.switchboard.realtime.Subscription sub = hub.subscribeContact(v.pubsubToken(),
            sequence, received::add)) {
      assertThat(sub.mustResync()).isFalse();
      assertThat(received).filteredOn(e -> e.type() == EventType.MESSAGE_CREATED)
          .extracting(e -> e.message().content()).containsExactly("Between the two");
    }
    // it is the account's own latest event: another account's events do not move it
    long now = json(call(site, "GET", "/widget/messages", v.token(), null)).get("sequence")
        .asLong();
    f.sb.contacts().create(f.account("Elsewhere").id(),
        io.switchboard.ContactDraft.empty().withName("Eli"), io.switchboard.model.Actor.system());
    assertThat(json(call(site, "GET", "/widget/messages", v.token(), null)).get("sequence")
        .asLong()).isEqualTo(now).isGreaterThan(sequence);
  }

  @Test
  void aBlockedContactCannotSendMessages() {
    Visitor v = visit(site);
    f.sb.contacts().update(acme.id(), contact(v).id(),
        io.switchboard.ContactDraft.empty().withBlocked(true), io.switchboard.model.Actor.user(anna));

    WidgetResponse r = send(v, "let me in", "b1");

    assertThat(r.status()).isEqualTo(403);
    assertThat(json(r).get("error").asText()).isEqualTo("blocked");
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }
}
