package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.ConflictException;
import io.switchboard.MessageDraft;
import io.switchboard.RetryPolicy;
import io.switchboard.Switchboard;
import io.switchboard.channel.InboundContact;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import io.switchboard.store.Store;
import io.switchboard.webhook.AgentBot;
import io.switchboard.webhook.AgentBotDraft;
import io.switchboard.webhook.DeliveryStatus;
import io.switchboard.webhook.WebhookDelivery;
import io.switchboard.webhook.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent bots: conversations of a bot inbox start pending, the bot gets the inbox's events,
 * replies and hands off through the normal API, and a bot that keeps failing has its
 * conversation opened for the agents.
 */
abstract class AgentBotsContract {
  static final String BOT_SECRET = "bot-secret-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  MockWebServer botServer;
  final List<RecordedRequest> botRequests = new CopyOnWriteArrayList<>();
  final List<String> botBodies = new CopyOnWriteArrayList<>();
  final AtomicBoolean botDown = new AtomicBoolean();
  final List<Event> callbackEvents = new CopyOnWriteArrayList<>();
  final AtomicReference<Switchboard> sb = new AtomicReference<>();
  Fixture f;
  Account account;
  Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws Exception {
    botServer = new MockWebServer();
    botServer.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        botRequests.add(request);
        botBodies.add(request.getBody().readString(StandardCharsets.UTF_8));
        return new MockResponse().setResponseCode(botDown.get() ? 500 : 200);
      }
    });
    botServer.start();
    f = new Fixture(newStore(), b -> b.allowPrivateNetworkWebhooks(true)
        .agentBotRetryPolicy(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(100), 0.1))
        .agentBot("faq", this::faqBot));
    sb.set(f.sb);
    account = f.account("Acme");
    inbox = f.apiInbox(account.id());
  }

  /** An in-process bot: echoes questions, hands off when asked for an agent. */
  private void faqBot(Event event) {
    callbackEvents.add(event);
    if (event.type() != EventType.MESSAGE_CREATED) {
      return;
    }
    Message m = event.message();
    if (m.messageType() != MessageType.INCOMING) {
      return;
    }
    AgentBot bot = sb.get().webhooks().findAgentBot(m.accountId(), m.inboxId()).orElseThrow();
    if (m.content().contains("agent")) {
      sb.get().conversations().changeStatus(m.accountId(), m.conversationId(),
          ConversationStatus.OPEN, null, bot.actor());
    } else {
      sb.get().messages().reply(m.accountId(), m.conversationId(),
          MessageDraft.text("Bot: " + m.content()), bot.actor());
    }
  }

  /** The body of the bot's {@code i}th request, after checking its signature. */
  private JsonNode signedBotPayload(int i) throws Exception {
    RecordedRequest request = botRequests.get(i);
    String body = botBodies.get(i);
    assertThat(WebhookSignatures.verify(BOT_SECRET,
        request.getHeader(WebhookSignatures.TIMESTAMP_HEADER), body.getBytes(StandardCharsets.UTF_8),
        request.getHeader(WebhookSignatures.SIGNATURE_HEADER), Duration.ofMinutes(5))).isTrue();
    return JSON.readTree(body);
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    botServer.shutdown();
  }

  @Test
  void anInProcessBotRepliesToPendingConversationsAndHandsOffToAnAgent() {
    AgentBot bot = f.sb.webhooks().attachAgentBot(account.id(), inbox.id(),
        AgentBotDraft.callback("FAQ bot", "faq"));
    assertThat(f.sb.admin().inbox(account.id(), inbox.id()).botEnabled()).isTrue();
    assertThatThrownBy(() -> f.sb.webhooks().attachAgentBot(account.id(), inbox.id(),
        AgentBotDraft.callback("Second", "faq"))).isInstanceOf(ConflictException.class);

    Message hello = f.incoming(inbox, "contact-1", "m-1", "what are your hours?");
    long conversationId = hello.conversationId();
    assertThat(f.sb.conversations().get(account.id(), conversationId).status())
        .isEqualTo(ConversationStatus.PENDING);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.messages().list(account.id(), conversationId, null, 50).items())
        .anySatisfy(m -> {
          assertThat(m.senderType()).isEqualTo(SenderType.AGENT_BOT);
          assertThat(m.senderId()).isEqualTo(bot.id());
          assertThat(m.content()).isEqualTo("Bot: what are your hours?");
        }));
    assertThat(f.sb.conversations().get(account.id(), conversationId).status())
        .isEqualTo(ConversationStatus.PENDING);

    f.incoming(inbox, "contact-1", "m-2", "I want an agent please");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(f.sb.conversations().get(account.id(), conversationId).status())
          .isEqualTo(ConversationStatus.OPEN);
      assertThat(f.syncEvents(EventType.CONVERSATION_BOT_HANDOFF)).hasSize(1);
      assertThat(callbackEvents).anyMatch(e -> e.type() == EventType.CONVERSATION_OPENED);
    });
    Event handoff = f.syncEvents(EventType.CONVERSATION_BOT_HANDOFF).get(0);
    assertThat(handoff.performer().type()).isEqualTo(SenderType.AGENT_BOT);
    assertThat(handoff.conversationId()).isEqualTo(conversationId);
    // the bot never gets its own replies back
    assertThat(callbackEvents).filteredOn(e -> e.type() == EventType.MESSAGE_CREATED)
        .allSatisfy(e -> assertThat(e.message().senderType()).isNotEqualTo(SenderType.AGENT_BOT));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().agentBotDeliveries(account.id(), bot.id(), 50))
        .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED))
        .extracting(WebhookDelivery::event).contains("message_created", "conversation_opened"));

    f.sb.webhooks().detachAgentBot(account.id(), inbox.id());
    assertThat(f.sb.admin().inbox(account.id(), inbox.id()).botEnabled()).isFalse();
    assertThat(f.sb.webhooks().findAgentBot(account.id(), inbox.id())).isEmpty();
  }

  @Test
  void aBotGetsWebwidgetTriggeredWhenAVisitorOpensTheWidgetAndCanGreetThem() throws Exception {
    AgentBot bot = f.sb.webhooks().attachAgentBot(account.id(), inbox.id(),
        AgentBotDraft.http("Greeter", botServer.url("/bot").toString(), BOT_SECRET));
    ContactInbox visitor = f.sb.contacts().findOrCreateContactInbox(
        account.id(), inbox.id(), InboundContact.of("visitor-1", "Vera"));

    f.sb.contacts().widgetTriggered(account.id(), visitor.id(),
        Map.of("referer", "https://shop.example/"), Actor.system());

    await().atMost(Duration.ofSeconds(20)).until(() -> botBodies.stream()
        .anyMatch(b -> b.contains("webwidget_triggered")));
    int i = 0;
    while (!botBodies.get(i).contains("webwidget_triggered")) {
      i++;
    }
    JsonNode payload = signedBotPayload(i);
    assertThat(payload.get("event").asText()).isEqualTo("webwidget_triggered");
    assertThat(payload.get("source_id").asText()).isEqualTo("visitor-1");
    assertThat(payload.get("contact").get("id").asLong()).isEqualTo(visitor.contactId());
    assertThat(payload.get("event_info").get("referer").asText()).isEqualTo("https://shop.example/");
    assertThat(payload.get("current_conversation").isNull()).isTrue();

    // the bot greets through the normal API: a conversation for the visitor, and a message
    long conversationId = f.sb.conversations().create(account.id(), visitor.id(), bot.actor()).id();
    f.sb.messages().reply(account.id(), conversationId, MessageDraft.text("Hi! How can I help?"),
        bot.actor());
    assertThat(f.sb.conversations().get(account.id(), conversationId).status())
        .isEqualTo(ConversationStatus.PENDING);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.webhooks().agentBotDeliveries(account.id(), bot.id(), 50))
        .anySatisfy(d -> {
          assertThat(d.event()).isEqualTo("webwidget_triggered");
          assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
        }));
  }

  @Test
  void anHttpBotGetsSignedEventsAndABotThatKeepsFailingOpensTheConversationForAgents()
      throws Exception {
    AgentBot bot = f.sb.webhooks().attachAgentBot(account.id(), inbox.id(),
        AgentBotDraft.http("Remote bot", botServer.url("/bot").toString(), BOT_SECRET));
    Message first = f.incoming(inbox, "contact-1", "m-1", "hi bot");
    await().atMost(Duration.ofSeconds(20)).until(() -> !botRequests.isEmpty());
    JsonNode payload = signedBotPayload(0);
    assertThat(payload.get("event").asText()).isEqualTo("message_created");
    assertThat(payload.get("content").asText()).isEqualTo("hi bot");
    assertThat(payload.get("conversation").get("status").asText()).isEqualTo("pending");
    assertThat(f.sb.conversations().get(account.id(), first.conversationId()).status())
        .isEqualTo(ConversationStatus.PENDING);

    botDown.set(true);
    Message stuck = f.incoming(inbox, "contact-2", "m-2", "is anyone there?");
    long conversationId = stuck.conversationId();
    assertThat(f.sb.conversations().get(account.id(), conversationId).status())
        .isEqualTo(ConversationStatus.PENDING);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.sb.conversations().get(account.id(), conversationId).status())
            .isEqualTo(ConversationStatus.OPEN));
    List<Message> messages = f.sb.messages().list(account.id(), conversationId, null, 50).items();
    assertThat(messages).anySatisfy(m -> {
      assertThat(m.messageType()).isEqualTo(MessageType.ACTIVITY);
      assertThat(m.content()).isEqualTo(
          "Agent bot Remote bot is not responding; the conversation was opened for the agents");
    });
    assertThat(f.syncEvents(EventType.CONVERSATION_BOT_HANDOFF))
        .anyMatch(e -> e.conversationId() == conversationId);
    WebhookDelivery failed = f.sb.webhooks().agentBotDeliveries(account.id(), bot.id(), 50)
        .stream().filter(d -> d.status() == DeliveryStatus.FAILED).findFirst().orElseThrow();
    assertThat(failed.attempts()).hasSize(3)
        .allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(500));
    // the first conversation, whose bot answered, is still the bot's
    assertThat(f.sb.conversations().get(account.id(), first.conversationId()).status())
        .isEqualTo(ConversationStatus.PENDING);
  }
}
