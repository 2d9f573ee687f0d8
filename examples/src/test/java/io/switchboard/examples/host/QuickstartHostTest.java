package io.switchboard.examples.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.InboxDraft;
import io.switchboard.WebhookAcknowledgement;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.internal.Json;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartHostTest {
  @TempDir
  Path dir;
  QuickstartHost host;
  final OkHttpClient http = new OkHttpClient();
  final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    host = QuickstartHost.start(dir, 0, new PrintStream(printed, true));
  }

  @AfterEach
  void stop() throws Exception {
    host.close();
  }

  record Answer(int status, JsonNode body) {}

  Answer call(String method, String path, String token, String json) throws Exception {
    Request.Builder r = new Request.Builder().url("http://127.0.0.1:" + host.port() + path);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    r.method(method, json == null ? null
        : RequestBody.create(json, MediaType.get("application/json")));
    try (Response response = http.newCall(r.build()).execute()) {
      String text = response.body().string();
      boolean isJson = String.valueOf(response.header("Content-Type")).startsWith("application/json");
      return new Answer(response.code(), isJson && !text.isEmpty() ? Json.tree(text) : null);
    }
  }

  String login(String email) throws Exception {
    Answer a = call("POST", "/api/login", null,
        "{\"email\":\"" + email + "\",\"password\":\"" + QuickstartHost.PASSWORD + "\"}");
    assertThat(a.status()).isEqualTo(200);
    return a.body().get("token").asText();
  }

  @Test
  void firstStartSeedsAnAccountAgentsAndAConversation() throws Exception {
    assertThat(printed.toString()).contains("admin@acme.test", "agent@acme.test");
    String token = login("admin@acme.test");
    Answer list = call("GET", "/api/conversations?status=open", token, null);
    assertThat(list.body().get("items")).hasSize(1);
    assertThat(list.body().get("items").get(0).get("contact").get("name").asText())
        .isEqualTo("Dana Scully");
  }

  @Test
  void aWrongPasswordOrNoTokenIsRefused() throws Exception {
    assertThat(call("POST", "/api/login", null,
        "{\"email\":\"admin@acme.test\",\"password\":\"nope\"}").status()).isEqualTo(401);
    assertThat(call("GET", "/api/conversations", null, null).status()).isEqualTo(401);
    assertThat(call("GET", "/api/conversations", "forged", null).status()).isEqualTo(401);
  }

  @Test
  void anAgentRepliesAddsANoteAndResolves() throws Exception {
    String token = login("admin@acme.test");
    long id = call("GET", "/api/conversations", token, null).body().get("items").get(0)
        .get("id").asLong();
    assertThat(call("POST", "/api/conversations/" + id + "/messages", token,
        "{\"content\":\"We are on it\"}").status()).isEqualTo(201);
    assertThat(call("POST", "/api/conversations/" + id + "/messages", token,
        "{\"content\":\"VIP customer\",\"private\":true}").body().get("private_note").asBoolean())
        .isTrue();
    Answer resolved = call("POST", "/api/conversations/" + id + "/status", token,
        "{\"status\":\"resolved\"}");
    assertThat(resolved.body().get("status").asText()).isEqualTo("resolved");
    List<String> contents = call("GET", "/api/conversations/" + id + "/messages", token, null)
        .body().get("items").findValuesAsText("content");
    assertThat(contents).contains("We are on it", "VIP customer",
        "Conversation was marked resolved by Ada Admin");
    assertThat(call("POST", "/api/conversations/" + id + "/status", token,
        "{\"status\":\"bogus\"}").status()).isEqualTo(400);
  }

  @Test
  void anAgentSeesOnlyItsInboxes() throws Exception {
    long accountId = host.switchboard().admin().accounts().get(0).id();
    Inbox other = host.switchboard().admin().createInbox(accountId,
        InboxDraft.of("Other", ChannelType.API, Map.of()));
    var m = host.switchboard().incoming().receive(accountId, other.id(),
        InboundMessage.text("o-1", InboundContact.of("olga", "Olga"), "elsewhere"));
    String token = login("agent@acme.test");
    assertThat(call("GET", "/api/conversations", token, null).body().get("items")).hasSize(1);
    assertThat(call("GET", "/api/conversations/" + m.conversationId(), token, null).status())
        .isEqualTo(404);
  }

  long accountId() {
    return host.switchboard().admin().accounts().get(0).id();
  }

  List<Long> ids(Answer list) {
    List<Long> ids = new java.util.ArrayList<>();
    list.body().get("items").forEach(c -> ids.add(c.get("id").asLong()));
    return ids;
  }

  @Test
  void theConversationListFiltersByInboxAssigneeUnassignedAndLabel() throws Exception {
    String token = login("admin@acme.test");
    long adminId = call("GET", "/api/me", token, null).body().get("id").asLong();
    long seeded = ids(call("GET", "/api/conversations", token, null)).get(0);
    Inbox other = host.switchboard().admin().createInbox(accountId(),
        InboxDraft.of("Other", ChannelType.API, Map.of()));
    long elsewhere = host.switchboard().incoming().receive(accountId(), other.id(),
        InboundMessage.text("o-1", InboundContact.of("olga", "Olga"), "elsewhere"))
        .conversationId();
    host.switchboard().conversations().addLabels(accountId(), elsewhere, List.of("billing"),
        io.switchboard.model.Actor.system());
    Answer assigned = call("POST", "/api/conversations/" + seeded + "/assignee", token,
        "{\"assignee_id\":" + adminId + "}");
    assertThat(assigned.body().get("assignee_id").asLong()).isEqualTo(adminId);

    assertThat(call("GET", "/api/inboxes", token, null).body().findValuesAsText("name"))
        .contains("Website API", "Website", "Other");
    assertThat(ids(call("GET", "/api/conversations?inbox_id=" + other.id(), token, null)))
        .containsExactly(elsewhere);
    assertThat(ids(call("GET", "/api/conversations?assignee_id=" + adminId, token, null)))
        .containsExactly(seeded);
    assertThat(ids(call("GET", "/api/conversations?unassigned=true", token, null)))
        .containsExactly(elsewhere);
    assertThat(ids(call("GET", "/api/conversations?label=billing", token, null)))
        .containsExactly(elsewhere);
    assertThat(ids(call("GET", "/api/conversations?label=billing&inbox_id=" + other.id()
        + "&unassigned=true&status=open", token, null))).containsExactly(elsewhere);
    assertThat(ids(call("GET", "/api/conversations?label=nothing", token, null))).isEmpty();
    assertThat(call("GET", "/api/conversations?inbox_id=abc", token, null).status())
        .isEqualTo(400);
  }

  @Test
  void anAgentAssignsUnassignsAndSnoozesAConversation() throws Exception {
    String token = login("admin@acme.test");
    long samId = -1;
    for (JsonNode agent : call("GET", "/api/agents", token, null).body()) {
      if (agent.get("email").asText().equals("agent@acme.test")) {
        samId = agent.get("id").asLong();
      }
    }
    long id = ids(call("GET", "/api/conversations", token, null)).get(0);

    assertThat(call("POST", "/api/conversations/" + id + "/assignee", token,
        "{\"assignee_id\":" + samId + "}").body().get("assignee_id").asLong()).isEqualTo(samId);
    assertThat(call("POST", "/api/conversations/" + id + "/assignee", token,
        "{\"assignee_id\":999999}").status()).isEqualTo(404);
    assertThat(call("POST", "/api/conversations/" + id + "/assignee", token,
        "{\"assignee_id\":null}").body().get("assignee_id").isNull()).isTrue();

    String until = "2030-01-01T09:00:00Z";
    Answer snoozed = call("POST", "/api/conversations/" + id + "/status", token,
        "{\"status\":\"snoozed\",\"snoozed_until\":\"" + until + "\"}");
    assertThat(snoozed.status()).isEqualTo(200);
    assertThat(snoozed.body().get("status").asText()).isEqualTo("snoozed");
    assertThat(java.time.Instant.parse(snoozed.body().get("snoozed_until").asText()))
        .isEqualTo(java.time.Instant.parse(until));
    assertThat(ids(call("GET", "/api/conversations?status=snoozed", token, null)))
        .containsExactly(id);
    assertThat(ids(call("GET", "/api/conversations?status=open", token, null))).isEmpty();
    List<String> activity = call("GET", "/api/conversations/" + id + "/messages", token, null)
        .body().get("items").findValuesAsText("content");
    assertThat(activity).contains("Assigned to Sam Agent by Ada Admin",
        "Conversation unassigned by Ada Admin", "Conversation was snoozed by Ada Admin");
  }

  /**
   * {@code &last_sequence=} the newest event of the log: what a client resumes after so that
   * nothing committed while the server is still opening its subscription is lost.
   */
  String fromNow() {
    List<io.switchboard.event.Event> log = host.switchboard().events(accountId(), 0, 100_000);
    return "&last_sequence=" + (log.isEmpty() ? 0 : log.get(log.size() - 1).sequence());
  }

  /** Opens a socket on {@code /realtime?query} whose frames land in {@code events}. */
  void listen(WebSocketContainer client, String query, List<JsonNode> events) throws Exception {
    client.connectToServer(new Endpoint() {
      @Override
      public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class,
            (MessageHandler.Whole<String>) text -> events.add(Json.tree(text)));
      }
    }, ClientEndpointConfig.Builder.create().build(),
        URI.create("ws://127.0.0.1:" + host.port() + "/realtime?" + query));
  }

  @Test
  void anAgentsTypingReachesTheVisitorsSocket() throws Exception {
    String token = login("admin@acme.test");
    long id = ids(call("GET", "/api/conversations", token, null)).get(0);
    var conversation = host.switchboard().conversations().get(accountId(), id);
    String pubsub = host.switchboard().contacts().findContactInbox(accountId(),
        conversation.contactInboxId()).orElseThrow().pubsubToken();
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    WebSocketContainer client = ContainerProvider.getWebSocketContainer();
    try {
      listen(client, "pubsub_token=" + pubsub + fromNow(), events);
      assertThat(call("POST", "/api/conversations/" + id + "/typing", token,
          "{\"typing_status\":\"maybe\"}").status()).isEqualTo(400);
      // typing is never replayed: say it again until the socket's subscription is in place
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(call("POST", "/api/conversations/" + id + "/typing", token,
            "{\"typing_status\":\"on\"}").status()).isEqualTo(204);
        assertThat(events).anySatisfy(e -> {
          assertThat(e.get("type").asText()).isEqualTo("conversation.typing_on");
          assertThat(e.get("conversation_id").asLong()).isEqualTo(id);
          assertThat(e.get("performer").get("type").asText()).isEqualTo("user");
        });
      });
    } finally {
      LifeCycle.stop(client);
    }
  }

  static void awaitCreated(List<JsonNode> events, String content) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(events).anySatisfy(e -> {
          assertThat(e.get("type").asText()).isEqualTo("message.created");
          assertThat(e.get("data").get("content").asText()).isEqualTo(content);
        }));
  }

  @Test
  void theConsoleSocketReceivesNewMessagesLive() throws Exception {
    String token = login("admin@acme.test");
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    WebSocketContainer client = ContainerProvider.getWebSocketContainer();
    try {
      listen(client, "access_token=" + token + fromNow(), events);
      long accountId = host.switchboard().admin().accounts().get(0).id();
      long inboxId = host.switchboard().admin().inboxes(accountId).get(0).id();
      host.switchboard().incoming().receive(accountId, inboxId,
          InboundMessage.text("live-1", InboundContact.of("dana-1", "Dana"), "are you there?"));
      awaitCreated(events, "are you there?");
    } finally {
      LifeCycle.stop(client);
    }
  }

  @Test
  void aHostThatAnswersWebhooksOnceStoredStillDeliversThemToTheConsole() throws Exception {
    host.close();
    host = QuickstartHost.start(dir.resolve("stored"), 0, new PrintStream(printed, true),
        WebhookAcknowledgement.AFTER_STORING);
    host.switchboard().admin().createInbox(accountId(), InboxDraft.of("WhatsApp",
        ChannelType.WHATSAPP, Map.of("phone_number_id", "106540352242922",
            "access_token", "test-access-token", "app_secret", "test-app-secret")));
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
        + "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
        + "\"metadata\":{\"display_phone_number\":\"15550001111\",\"phone_number_id\":"
        + "\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":\"Dana\"},\"wa_id\":"
        + "\"15551234567\"}],\"messages\":[{\"from\":\"15551234567\",\"id\":\"wamid.stored-1\","
        + "\"timestamp\":\"1733550000\",\"type\":\"text\",\"text\":{\"body\":"
        + "\"answered once stored\"}}]}}]}]}";
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("test-app-secret".getBytes(
        java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    String token = login("admin@acme.test");
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    WebSocketContainer client = ContainerProvider.getWebSocketContainer();
    try {
      listen(client, "access_token=" + token + fromNow(), events);
      Request signed = new Request.Builder()
          .url("http://127.0.0.1:" + host.port() + "/webhooks/whatsapp")
          .header("X-Hub-Signature-256", signature)
          .post(RequestBody.create(body, MediaType.get("application/json"))).build();
      try (Response r = http.newCall(signed).execute()) {
        assertThat(r.code()).isEqualTo(200);
      }
      // answered once stored; an ingest lane processes it and the console hears of it
      awaitCreated(events, "answered once stored");
    } finally {
      LifeCycle.stop(client);
    }
  }

  @Test
  void theWhatsAppAndEmailWebhookRoutesReachTheirChannels() throws Exception {
    host.switchboard().admin().createInbox(accountId(), InboxDraft.of("WhatsApp",
        ChannelType.WHATSAPP, Map.of("phone_number_id", "106540352242922",
            "access_token", "test-access-token", "app_secret", "test-app-secret",
            "verify_token", "right-verify-token")));
    String verify = "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444"
        + "&phone_number_id=106540352242922&hub.verify_token=";
    try (Response ok = http.newCall(new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + verify + "right-verify-token").build()).execute()) {
      assertThat(ok.code()).isEqualTo(200);
      assertThat(ok.body().string()).isEqualTo("1158201444");
    }
    try (Response refused = http.newCall(new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + verify + "wrong-verify-token").build()).execute()) {
      assertThat(refused.code()).isEqualTo(403);
    }
    // a WhatsApp delivery for the number with a forged signature is refused by the channel
    Request forged = new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + "/webhooks/whatsapp")
        .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
        .post(RequestBody.create("{\"object\":\"whatsapp_business_account\",\"entry\":[{"
            + "\"id\":\"1\",\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":"
            + "{\"phone_number_id\":\"106540352242922\"},\"messages\":[]}}]}]}",
            MediaType.get("application/json"))).build();
    try (Response r = http.newCall(forged).execute()) {
      assertThat(r.code()).isEqualTo(401);
    }
    // email arrives by IMAP or EmailChannel.receive: its route reaches the email channel, which
    // answers that it takes no webhooks (an unknown channel gets another answer)
    try (Response email = http.newCall(new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + "/webhooks/email")
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build()).execute()) {
      assertThat(email.code()).isEqualTo(404);
      assertThat(email.body().string()).contains("no webhook parser for channel email");
    }
    try (Response unknown = http.newCall(new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + "/webhooks/fax")
        .post(RequestBody.create("{}", MediaType.get("application/json"))).build()).execute()) {
      assertThat(unknown.body().string()).isEqualTo("unknown channel");
    }
  }

  @Test
  void theConsolePageAndWebhookRoutesAreServed() throws Exception {
    try (Response page = http.newCall(new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + "/").build()).execute()) {
      assertThat(page.code()).isEqualTo(200);
      assertThat(page.body().string()).contains("Agent sign-in", "/console.js");
    }
    assertThat(call("POST", "/webhooks/nochannel", null, "{}").status()).isEqualTo(404);
    assertThat(call("POST", "/webhooks/api", null, "{}").status()).isEqualTo(404);
    // the Telegram channel is registered: its parser answers (404 for a bot it does not know)
    // and a forged secret token for a known bot would get 401
    long accountId = host.switchboard().admin().accounts().get(0).id();
    host.switchboard().admin().createInbox(accountId, InboxDraft.of("Bot", ChannelType.TELEGRAM,
        Map.of("bot_token", "123456:AAHfakeTokenForTestsOnly_0123456789", "secret_token", "right-secret-token")));
    Request forged = new Request.Builder()
        .url("http://127.0.0.1:" + host.port() + "/webhooks/telegram/123456")
        .header("X-Telegram-Bot-Api-Secret-Token", "wrong-secret-token")
        .post(RequestBody.create("{\"update_id\":1}", MediaType.get("application/json"))).build();
    try (Response r = http.newCall(forged).execute()) {
      assertThat(r.code()).isEqualTo(401);
    }
  }
}
