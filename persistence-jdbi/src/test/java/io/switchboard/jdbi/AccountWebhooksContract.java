package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.NotFoundException;
import io.switchboard.RetryPolicy;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundContact;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.realtime.RealtimeHub;
import io.switchboard.store.Store;
import io.switchboard.webhook.DeliveryStatus;
import io.switchboard.webhook.Webhook;
import io.switchboard.webhook.WebhookDelivery;
import io.switchboard.webhook.WebhookDraft;
import io.switchboard.webhook.WebhookEvent;
import io.switchboard.webhook.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Account webhooks against a local MockWebServer: subscriptions, Chatwoot-shaped signed
 * payloads, retries with the original delivery id, the delivery log, disabling, URL safety and
 * account scoping.
 */
abstract class AccountWebhooksContract {
  static final String SECRET = "whsec-0123456789abcdef";
  static final RetryPolicy QUICK = new RetryPolicy(40, Duration.ofMillis(50), Duration.ofMillis(250), 0.2);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the receiver got: request and the status it answered. */
  record Received(RecordedRequest request, String body, int answered) {
    String delivery() {
      return request.getHeader(WebhookSignatures.DELIVERY_HEADER);
    }

    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  MockWebServer receiver;
  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicBoolean down = new AtomicBoolean();
  volatile int failWith = 503;
  /** Answers given, in order, before the default behaviour. */
  final java.util.Queue<MockResponse> script = new java.util.concurrent.ConcurrentLinkedQueue<>();
  Fixture f;
  Account account;
  Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws Exception {
    receiver = new MockWebServer();
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        MockResponse scripted = script.poll();
        int code = scripted != null ? scripted.getStatus().contains(" 429 ") ? 429 : 200
            : down.get() ? failWith : 200;
        received.add(new Received(request, request.getBody().readString(StandardCharsets.UTF_8),
            scripted != null && scripted.getHeadersDelay(java.util.concurrent.TimeUnit.MILLISECONDS) > 0
                ? -1 : code));
        return scripted != null ? scripted : new MockResponse().setResponseCode(code);
      }
    });
    receiver.start();
    f = new Fixture(newStore(), b -> b.channel(new TestChannel()).allowPrivateNetworkWebhooks(true)
        .webhookRetryPolicy(QUICK).webhookFailureLimit(3).webhookTimeout(Duration.ofMillis(700)));
    account = f.account("Acme");
    inbox = f.apiInbox(account.id());
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    receiver.shutdown();
  }

  String url() {
    return receiver.url("/hooks/switchboard").toString();
  }

  List<Received> delivered() {
    return received.stream().filter(r -> r.answered() == 200).toList();
  }

  @Test
  void aProviderWebhooksMessageReachesAWebhookCreatedBeforeItAndNoneBefore() throws Exception {
    Inbox provider = f.sb.admin().createInbox(account.id(), io.switchboard.InboxDraft.of("Bot",
        TestChannel.TYPE, Map.of("bot", "bot-7", "secret", "s3cret-token")));
    assertThat(postProvider(TestChannel.payload("bot-7", "p-1", "u-1", "before"))).isEqualTo(200);

    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(url(), SECRET,
        WebhookEvent.MESSAGE_CREATED));
    // the route of the provider's inbox is cached by now; the transaction asks for webhooks
    // itself, for a known contact and for a new one
    assertThat(postProvider(TestChannel.payload("bot-7", "p-2", "u-1", "after"))).isEqualTo(200);
    assertThat(postProvider(TestChannel.payload("bot-7", "p-3", "u-2", "new"))).isEqualTo(200);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().deliveries(account.id(), hook.id(), 50)).hasSize(2)
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
    assertThat(delivered()).hasSize(2);
    assertThat(delivered()).extracting(r -> r.json().get("content").asText())
        .containsExactlyInAnyOrder("after", "new");
    assertThat(delivered()).allSatisfy(r ->
        assertThat(r.json().get("inbox").get("id").asLong()).isEqualTo(provider.id()));
  }

  private int postProvider(String body) {
    return f.sb.incoming().handleWebhook(TestChannel.TYPE,
        io.switchboard.channel.WebhookRequest.builder("POST", "/webhooks/test").body(body)
            .header("Content-Type", "application/json").header("X-Test-Secret", "s3cret-token")
            .build()).status();
  }

  @Test
  void everySubscribedEventArrivesOnceSignedAndTheSignatureVerifiesOnlyWithTheRightSecret()
      throws Exception {
    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(url(), SECRET,
        WebhookEvent.CONVERSATION_CREATED, WebhookEvent.CONTACT_CREATED,
        WebhookEvent.MESSAGE_CREATED, WebhookEvent.CONVERSATION_STATUS_CHANGED));

    Message in = f.incoming(inbox, "contact-1", "m-1", "Where is my order?");
    f.sb.conversations().changeStatus(account.id(), in.conversationId(),
        ConversationStatus.RESOLVED, null, Actor.system());

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().deliveries(account.id(), hook.id(), 50))
        .hasSize(4).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
    List<Received> got = delivered();
    assertThat(got).hasSize(4);
    Map<String, Received> byEvent = new java.util.HashMap<>();
    for (Received r : got) {
      byEvent.put(r.json().get("event").asText(), r);
    }
    // the activity message of the resolution and unsubscribed events never arrive
    assertThat(byEvent.keySet()).containsExactlyInAnyOrder("conversation_created",
        "contact_created", "message_created", "conversation_status_changed");
    assertThat(got.stream().map(Received::delivery).distinct()).hasSize(4);

    for (Received r : got) {
      String timestamp = r.request().getHeader(WebhookSignatures.TIMESTAMP_HEADER);
      String signature = r.request().getHeader(WebhookSignatures.SIGNATURE_HEADER);
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      assertThat(signature).startsWith("sha256=");
      assertThat(WebhookSignatures.verify(SECRET, timestamp, body, signature,
          Duration.ofMinutes(5))).isTrue();
      assertThat(WebhookSignatures.verify("wrong-secret-0123456789", timestamp, body, signature,
          Duration.ofMinutes(5))).isFalse();
      byte[] tampered = r.body().replace("\"event\"", "\"evnt\"").getBytes(StandardCharsets.UTF_8);
      assertThat(WebhookSignatures.verify(SECRET, timestamp, tampered, signature,
          Duration.ofMinutes(5))).isFalse();
      assertThat(r.json().get("account").get("id").asLong()).isEqualTo(account.id());
    }

    JsonNode message = byEvent.get("message_created").json();
    assertThat(message.get("content").asText()).isEqualTo("Where is my order?");
    assertThat(message.get("message_type").asText()).isEqualTo("incoming");
    assertThat(message.get("sender").get("type").asText()).isEqualTo("contact");
    assertThat(message.get("sender").get("name").asText()).isEqualTo("Customer contact-1");
    assertThat(message.get("inbox").get("id").asLong()).isEqualTo(inbox.id());
    long displayId = f.sb.conversations().get(account.id(), in.conversationId()).displayId();
    assertThat(message.get("conversation").get("id").asLong()).isEqualTo(displayId);
    assertThat(message.get("conversation").get("contact_inbox").get("source_id").asText())
        .isEqualTo("contact-1");

    JsonNode status = byEvent.get("conversation_status_changed").json();
    assertThat(status.get("status").asText()).isEqualTo("resolved");
    assertThat(status.get("changed_attributes").get(0).get("status").get("previous_value").asText())
        .isEqualTo("open");
    assertThat(status.get("changed_attributes").get(0).get("status").get("current_value").asText())
        .isEqualTo("resolved");
    assertThat(byEvent.get("contact_created").json().get("name").asText())
        .isEqualTo("Customer contact-1");
  }

  @Test
  void aWidgetTriggerArrivesAsWebwidgetTriggeredWithTheContactInboxAndTheEventInfo() {
    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(url(), SECRET,
        WebhookEvent.WEBWIDGET_TRIGGERED));
    ContactInbox visitor = f.sb.contacts().findOrCreateContactInbox(
        account.id(), inbox.id(), InboundContact.of("visitor-1", "Vera"));
    Map<String, Object> info = Map.of("referer", "https://shop.example/pricing",
        "browser_language", "de");

    f.sb.contacts().widgetTriggered(account.id(), visitor.id(), info, Actor.system());
    Message later = f.incoming(inbox, "visitor-1", "m-1", "hello");
    f.sb.contacts().widgetTriggered(account.id(), visitor.id(), Map.of(), Actor.system());

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().deliveries(account.id(), hook.id(), 50))
        .hasSize(2).allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
    List<JsonNode> got = delivered().stream().map(r -> io.switchboard.internal.Json.tree(r.body()))
        .sorted(Comparator.comparing(n -> n.get("occurred_at").asText())).toList();
    assertThat(got).hasSize(2).allSatisfy(n -> {
      assertThat(n.get("event").asText()).isEqualTo("webwidget_triggered");
      assertThat(n.get("id").asLong()).isEqualTo(visitor.id());
      assertThat(n.get("source_id").asText()).isEqualTo("visitor-1");
      assertThat(n.get("contact").get("name").asText()).isEqualTo("Vera");
      assertThat(n.get("inbox").get("id").asLong()).isEqualTo(inbox.id());
      assertThat(n.get("inbox").has("settings")).isFalse();
      assertThat(n.get("account").get("id").asLong()).isEqualTo(account.id());
    });
    JsonNode first = got.stream().filter(n -> n.get("current_conversation").isNull())
        .findFirst().orElseThrow();
    assertThat(first.get("event_info").get("referer").asText())
        .isEqualTo("https://shop.example/pricing");
    assertThat(first.get("event_info").get("browser_language").asText()).isEqualTo("de");
    JsonNode second = got.stream().filter(n -> !n.get("current_conversation").isNull())
        .findFirst().orElseThrow();
    assertThat(second.get("current_conversation").get("uuid").asText()).isEqualTo(
        f.sb.conversations().get(account.id(), later.conversationId()).uuid());
    assertThat(second.get("event_info").size()).isZero();
  }

  @Test
  void aWidgetTriggerWithOversizedEventInfoIsRefusedAndEmitsNothing() {
    ContactInbox visitor = f.sb.contacts().findOrCreateContactInbox(
        account.id(), inbox.id(), InboundContact.of("visitor-2", "Vic"));
    Map<String, Object> huge = Map.of("referer", "x".repeat(9000));

    assertThatThrownBy(() -> f.sb.contacts().widgetTriggered(
        account.id(), visitor.id(), huge, Actor.system()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("event_info");
    assertThatThrownBy(() -> f.sb.contacts().widgetTriggered(
        account.id() + 1000, visitor.id(), Map.of(), Actor.system()))
        .isInstanceOf(NotFoundException.class);
    assertThat(f.syncEvents(EventType.WEBWIDGET_TRIGGERED)).isEmpty();
  }

  @Test
  void whenTheReceiverIsDownForAWhileEveryDeliveryArrivesLaterWithItsOriginalDeliveryId() {
    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(url(), SECRET,
        WebhookEvent.MESSAGE_CREATED));
    down.set(true);
    for (int i = 0; i < 5; i++) {
      f.incoming(inbox, "contact-" + i, "m-" + i, "message " + i);
    }
    // every delivery was refused at least twice
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<WebhookDelivery> log = f.sb.webhooks().deliveries(account.id(), hook.id(), 50);
      assertThat(log).hasSize(5).allSatisfy(d -> {
        assertThat(d.attempts().size()).isGreaterThanOrEqualTo(2);
        assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(d.lastStatusCode()).isEqualTo(503);
      });
    });
    Set<String> refusedIds = received.stream().map(Received::delivery).collect(Collectors.toSet());
    down.set(false);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().deliveries(account.id(), hook.id(), 50))
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
    List<Received> ok = delivered();
    assertThat(ok).hasSize(5);
    assertThat(ok.stream().map(Received::delivery).collect(Collectors.toSet()))
        .isEqualTo(refusedIds);
    for (WebhookDelivery d : f.sb.webhooks().deliveries(account.id(), hook.id(), 50)) {
      List<Integer> codes = d.attempts().stream().map(WebhookDelivery.Attempt::statusCode).toList();
      assertThat(codes.subList(0, codes.size() - 1)).containsOnly(503);
      assertThat(codes.get(codes.size() - 1)).isEqualTo(200);
      assertThat(d.lastError()).isNull();
      // every attempt of one delivery carried the same body
      assertThat(received.stream().filter(r -> r.delivery().equals(d.id()))
          .map(Received::body).distinct()).hasSize(1);
    }
    assertThat(f.sb.webhooks().get(account.id(), hook.id()).consecutiveFailures()).isZero();
  }

  @Test
  void aTimeoutAndA429AreRetriedWithTheSameDeliveryIdAndLoggedAttemptByAttempt() {
    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(url(), SECRET,
        WebhookEvent.CONTACT_CREATED));
    script.add(new MockResponse().setResponseCode(200)
        .setHeadersDelay(3, java.util.concurrent.TimeUnit.SECONDS));
    script.add(new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
    f.incoming(inbox, "contact-1", "m-1", "hello");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().deliveries(account.id(), hook.id(), 10)).singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
    WebhookDelivery d = f.sb.webhooks().deliveries(account.id(), hook.id(), 10).get(0);
    assertThat(d.attempts()).extracting(WebhookDelivery.Attempt::statusCode)
        .containsExactly(null, 429, 200);
    assertThat(d.attempts().get(0).error()).containsIgnoringCase("timeout");
    assertThat(received).extracting(Received::delivery).containsOnly(d.id());
    assertThat(f.sb.webhooks().findDelivery(account.id(), d.id())).contains(d);
  }

  @Test
  void aClientErrorFailsTheDeliveryAtOnceAndAWebhookFailingRepeatedlyIsDisabledWithAnEvent() {
    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(url(), SECRET,
        WebhookEvent.MESSAGE_CREATED));
    down.set(true);
    failWith = 410;
    for (int i = 0; i < 3; i++) {
      f.incoming(inbox, "contact-" + i, "m-" + i, "message " + i);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(f.sb.webhooks().deliveries(account.id(), hook.id(), 50)).hasSize(3)
          .allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
            assertThat(d.attempts()).hasSize(1);
            assertThat(d.lastStatusCode()).isEqualTo(410);
            assertThat(d.lastError()).startsWith("HTTP 410");
          });
      assertThat(f.sb.webhooks().get(account.id(), hook.id()).enabled()).isFalse();
      assertThat(f.asyncEvents(EventType.WEBHOOK_DISABLED)).hasSize(1);
    });
    assertThat(f.asyncEvents(EventType.WEBHOOK_DISABLED).get(0).accountId()).isEqualTo(account.id());
    // a disabled webhook gets nothing: the fan-out that serves a second webhook skips it
    down.set(false);
    Webhook second = f.sb.webhooks().create(account.id(), WebhookDraft.of(url() + "/second",
        SECRET, WebhookEvent.MESSAGE_CREATED));
    f.incoming(inbox, "contact-9", "m-9", "after disabling");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().deliveries(account.id(), second.id(), 50)).singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
    assertThat(f.sb.webhooks().deliveries(account.id(), hook.id(), 50)).hasSize(3);
    assertThat(received).filteredOn(r -> r.request().getPath().equals("/hooks/switchboard"))
        .hasSize(3);

    Webhook enabled = f.sb.webhooks().update(account.id(), hook.id(), WebhookDraft.of(url(),
        SECRET, WebhookEvent.MESSAGE_CREATED));
    assertThat(enabled.enabled()).isTrue();
    assertThat(enabled.consecutiveFailures()).isZero();
  }

  @Test
  void aDisabledWebhookReachesAdministratorsInRealTimeButNotAgents() {
    User ada = f.sb.admin().createAgent(account.id(), "Ada", "ada@acme.test",
        Role.ADMINISTRATOR, null);
    User sam = f.sb.admin().createAgent(account.id(), "Sam", "sam@acme.test", Role.AGENT, null);
    f.sb.admin().addInboxMember(account.id(), inbox.id(), sam.id());
    try (RealtimeHub hub = RealtimeHub.create(f.sb)) {
      List<Event> toSam = new CopyOnWriteArrayList<>();
      List<Event> toAda = new CopyOnWriteArrayList<>();
      // Sam first: the hub has routed an event to him once Ada has it
      hub.subscribeAgent(account.id(), sam.id(), 0, toSam::add);
      hub.subscribeAgent(account.id(), ada.id(), 0, toAda::add);
      Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.of(
          url() + "?key=credential-in-url", SECRET, WebhookEvent.MESSAGE_CREATED));
      down.set(true);
      failWith = 410;
      for (int i = 0; i < 3; i++) {
        f.incoming(inbox, "contact-" + i, "m-" + i, "message " + i);
      }

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(toAda)
          .filteredOn(e -> e.type() == EventType.WEBHOOK_DISABLED).singleElement()
          .satisfies(e -> assertThat(((Webhook) e.data()).id()).isEqualTo(hook.id())));
      assertThat(toSam).extracting(Event::type).doesNotContain(EventType.WEBHOOK_DISABLED)
          .contains(EventType.CONTACT_CREATED, EventType.MESSAGE_CREATED);
      assertThat(toSam.toString()).doesNotContain("credential-in-url");
    }
  }

  @Test
  void webhooksAreCreatedListedUpdatedAndDeletedWithinTheirAccountOnly() {
    Webhook hook = f.sb.webhooks().create(account.id(), WebhookDraft.all(url(), SECRET));
    assertThat(hook.subscriptions()).containsExactlyInAnyOrderElementsOf(
        EnumSet.allOf(WebhookEvent.class));
    assertThat(hook.toString()).doesNotContain(SECRET);
    Account other = f.account("Other");
    assertThatThrownBy(() -> f.sb.webhooks().get(other.id(), hook.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.webhooks().delete(other.id(), hook.id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(f.sb.webhooks().list(other.id())).isEmpty();

    Webhook updated = f.sb.webhooks().update(account.id(), hook.id(),
        new WebhookDraft(url() + "/v2", "another-secret-0123456789",
            Set.of(WebhookEvent.CONTACT_UPDATED), true));
    assertThat(updated.url()).endsWith("/v2");
    assertThat(f.sb.webhooks().list(account.id())).extracting(Webhook::subscriptions)
        .containsExactly(Set.of(WebhookEvent.CONTACT_UPDATED));
    f.sb.webhooks().delete(account.id(), hook.id());
    assertThat(f.sb.webhooks().list(account.id())).isEmpty();

    assertThatThrownBy(() -> WebhookDraft.of(url(), "short", WebhookEvent.MESSAGE_CREATED))
        .isInstanceOf(ValidationException.class).hasMessageContaining("secret");
    assertThatThrownBy(() -> f.sb.webhooks().create(account.id(),
        WebhookDraft.of("ftp://example.test/x", SECRET, WebhookEvent.MESSAGE_CREATED)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("http");
    assertThat(WebhookEvent.of("conversation_typing_on")).isEqualTo(WebhookEvent.CONVERSATION_TYPING_ON);
  }

  @Test
  void urlsOnLoopbackPrivateAndLinkLocalAddressesAreRefusedUnlessTheHostAllowsThem() {
    try (Fixture strict = new Fixture(newStore())) {
      Account acme = strict.account("Strict");
      List<String> refused = new ArrayList<>(List.of(url(), "http://127.0.0.1:8080/hook",
          "http://10.0.0.1/hook", "http://10.200.3.4:9000/x", "http://172.16.5.5/x",
          "http://192.168.1.10/x", "http://169.254.169.254/latest/meta-data",
          "http://0.0.0.0/x", "http://[::1]/x", "http://[fd00::1]/x", "http://localhost/x"));
      for (String bad : refused) {
        assertThatThrownBy(() -> strict.sb.webhooks().create(acme.id(),
            WebhookDraft.of(bad, SECRET, WebhookEvent.MESSAGE_CREATED)))
            .as(bad).isInstanceOf(ValidationException.class)
            .hasMessageContaining("allowPrivateNetworkWebhooks");
      }
      assertThat(strict.sb.webhooks().list(acme.id())).isEmpty();
      // a public address is accepted (nothing is sent: no event is subscribed to here)
      Webhook publicHook = strict.sb.webhooks().create(acme.id(),
          WebhookDraft.of("http://93.184.215.14/hook", SECRET, WebhookEvent.INBOX_CREATED));
      assertThatThrownBy(() -> strict.sb.webhooks().update(acme.id(), publicHook.id(),
          WebhookDraft.of("http://10.0.0.7/hook", SECRET, WebhookEvent.INBOX_CREATED)))
          .isInstanceOf(ValidationException.class);
      assertThat(strict.sb.webhooks().get(acme.id(), publicHook.id()).url())
          .isEqualTo("http://93.184.215.14/hook");
    }
    // the fixture of this class allows private networks: the same loopback URL is accepted
    assertThat(f.sb.webhooks().create(account.id(),
        WebhookDraft.of("http://10.0.0.1/hook", SECRET, WebhookEvent.MESSAGE_CREATED)).id())
        .isPositive();
  }
}
