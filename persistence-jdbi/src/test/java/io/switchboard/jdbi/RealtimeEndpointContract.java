package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.MessageDraft;
import io.switchboard.internal.Json;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.Priority;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.realtime.AgentAuthenticator;
import io.switchboard.realtime.RealtimeEndpoint;
import io.switchboard.realtime.RealtimeHub;
import io.switchboard.store.Store;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jakarta.websocket adapter of the hub, in a real Jetty container on loopback. */
abstract class RealtimeEndpointContract {
  static final int MAX_REPLAY = 10;
  static final String HEARTBEAT = "{\"type\":\"heartbeat\"}";
  FailingStore store;
  Fixture f;
  RealtimeHub hub;
  Server server;
  WebSocketContainer client;
  Account acme;
  Inbox inbox;
  User anna;
  AgentAuthenticator auth;
  int port;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws Exception {
    store = new FailingStore(newStore());
    f = new Fixture(store);
    hub = RealtimeHub.builder(f.sb).maxReplay(MAX_REPLAY).build();
    acme = f.account("Acme");
    inbox = f.apiInbox(acme.id());
    anna = f.sb.admin().createAgent(acme.id(), "Anna", "anna@acme.test", Role.ADMINISTRATOR, null);
    // the host's sign-in: here a fixed access token for Anna
    auth = session -> {
      List<String> token = session.getRequestParameterMap().get("access_token");
      return token != null && token.contains("anna-token")
          ? Optional.of(new AgentAuthenticator.AgentIdentity(acme.id(), anna.id()))
          : Optional.empty();
    };
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler("/");
    server.setHandler(context);
    JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
        container.addEndpoint(RealtimeEndpoint.config("/realtime", hub, auth)));
    server.start();
    port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    client = ContainerProvider.getWebSocketContainer();
  }

  @AfterEach
  void tearDown() throws Exception {
    LifeCycle.stop(client);
    server.stop();
    hub.close();
    f.close();
  }

  /** A connected client that records the events it receives and how it was closed. */
  final class Client extends Endpoint {
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<String> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    Session session;

    @Override
    public void onOpen(Session s, EndpointConfig config) {
      session = s;
      s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
        frames.add(text);
        events.add(Json.tree(text));
      });
    }

    @Override
    public void onClose(Session s, CloseReason reason) {
      closed.complete(reason);
    }

    List<String> contents() {
      return events.stream().filter(e -> e.get("type").asText().equals("message.created"))
          .map(e -> e.get("data").get("content").asText()).toList();
    }

    long lastSequence() {
      return events.stream().mapToLong(e -> e.get("sequence").asLong()).max().orElse(0);
    }
  }

  /**
   * {@code &last_sequence=} the newest event of the log: what a client resumes after so that
   * nothing committed while the server is still opening its subscription is lost.
   */
  String fromNow() {
    return "&last_sequence=" + newestSequence();
  }

  long newestSequence() {
    List<io.switchboard.event.Event> log = f.sb.events(acme.id(), 0, 100_000);
    return log.isEmpty() ? 0 : log.get(log.size() - 1).sequence();
  }

  Client connect(String query) throws Exception {
    Client c = new Client();
    client.connectToServer(c, ClientEndpointConfig.Builder.create().build(),
        URI.create("ws://127.0.0.1:" + port + "/realtime?" + query));
    return c;
  }

  @Test
  void aVisitorSocketReceivesPublicRepliesButNeverPrivateNotes() throws Exception {
    Message in = f.incoming(inbox, "visitor-1", "w-1", "hi");
    ContactInbox ci = f.sb.contacts().contactInboxes(acme.id(),
        f.sb.conversations().get(acme.id(), in.conversationId()).contactId()).get(0);
    Client visitor = connect("pubsub_token=" + ci.pubsubToken() + fromNow());

    f.sb.messages().note(acme.id(), in.conversationId(), "internal only", Actor.user(anna));
    f.sb.messages().reply(acme.id(), in.conversationId(), MessageDraft.text("hello visitor"),
        Actor.user(anna));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(visitor.contents()).containsExactly("hello visitor"));
    JsonNode event = visitor.events.get(0);
    assertThat(event.get("sequence").asLong()).isPositive();
    assertThat(event.get("conversation_id").asLong()).isEqualTo(in.conversationId());
    visitor.session.getBasicRemote().sendText(HEARTBEAT);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(hub.onlineContacts(acme.id())).hasSize(1));
  }

  @Test
  void aVisitorSocketNeverCarriesAgentOnlyDataOfItsConversation() throws Exception {
    Message in = f.incoming(inbox, "visitor-1", "provider-id-1", "hi");
    long conversation = in.conversationId();
    ContactInbox ci = f.sb.contacts().contactInboxes(acme.id(),
        f.sb.conversations().get(acme.id(), conversation).contactId()).get(0);
    Client visitor = connect("pubsub_token=" + ci.pubsubToken() + fromNow());
    Client agent = connect("access_token=anna-token" + fromNow());
    Actor ada = Actor.user(anna);
    // typing is never replayed: both subscriptions must be in place before it is sent
    await().atMost(Duration.ofSeconds(10)).until(() ->
        hub.onlineContacts(acme.id()).size() == 1
            && hub.onlineAgents(acme.id()).contains(anna.id()));

    f.sb.conversations().addLabels(acme.id(), conversation, List.of("secret-label"), ada);
    f.sb.conversations().assign(acme.id(), conversation, anna.id(), ada);
    f.sb.conversations().setPriority(acme.id(), conversation, Priority.URGENT, ada);
    f.sb.conversations().setCustomAttributes(acme.id(), conversation,
        Map.of("secret_score", "secret-42"), ada);
    f.sb.conversations().typing(acme.id(), conversation, true, ada);
    f.sb.messages().note(acme.id(), conversation, "secret note", ada);
    f.sb.messages().reply(acme.id(), conversation, MessageDraft.builder().content("hello visitor")
        .contentAttribute("secret_ref", "secret-attribute").sourceId("secret-provider-id")
        .build(), ada);
    f.incoming(inbox, "visitor-1", "provider-id-2", "thanks");
    f.sb.conversations().changeStatus(acme.id(), conversation, ConversationStatus.RESOLVED, null,
        ada);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(visitor.contents()).containsExactly("hello visitor", "thanks");
      assertThat(visitor.events).extracting(e -> e.get("type").asText())
          .contains("conversation.typing_on", "conversation.resolved");
      assertThat(agent.events).extracting(e -> e.get("type").asText())
          .contains("conversation.resolved");
    });
    // the agent's socket carries what the visitor's must not: the difference is real
    assertThat(agent.frames.toString()).contains("secret-label", "secret-42", "secret note",
        "secret-attribute");
    String visitorFrames = visitor.frames.toString();
    assertThat(visitorFrames).doesNotContain("secret", "provider-id", "labels", "assignee_id",
        "team_id", "priority", "custom_attributes", "additional_attributes",
        "changed_attributes", "source_id", "account_id", "inbox_id", "sender_id");
    JsonNode resolved = visitor.events.stream()
        .filter(e -> e.get("type").asText().equals("conversation.resolved")).findFirst()
        .orElseThrow();
    assertThat(resolved.get("data").get("status").asText()).isEqualTo("resolved");
    assertThat(resolved.get("performer").get("type").asText()).isEqualTo("user");
    assertThat(resolved.get("performer").has("id")).isFalse();
  }

  @Test
  void anAgentSocketReceivesTheAccountAndResumesAfterADroppedConnection() throws Exception {
    Client first = connect("access_token=anna-token" + fromNow());
    f.incoming(inbox, "c1", "a-1", "before drop");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(first.contents()).containsExactly("before drop"));
    long last = first.lastSequence();
    first.session.close();
    first.closed.get(10, TimeUnit.SECONDS);

    f.incoming(inbox, "c1", "a-2", "while offline");
    Client second = connect("access_token=anna-token&last_sequence=" + last);
    f.incoming(inbox, "c1", "a-3", "after reconnect");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(second.contents()).containsExactly("while offline", "after reconnect"));
  }

  @Test
  void aClientResumingFromTooFarBackGetsAResyncFrameInsteadOfTheWholeLog() throws Exception {
    for (int i = 0; i < MAX_REPLAY + 1; i++) {
      f.incoming(inbox, "c1", "old-" + i, "old " + i);
    }
    List<io.switchboard.event.Event> log = f.sb.events(acme.id(), 0, 1000);
    long newest = log.get(log.size() - 1).sequence();

    Client greedy = connect("access_token=anna-token&last_sequence=1");
    await().atMost(Duration.ofSeconds(10)).until(() -> !greedy.events.isEmpty());
    f.incoming(inbox, "c1", "new-1", "live");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(greedy.contents()).containsExactly("live"));
    JsonNode resync = greedy.events.get(0);
    assertThat(resync.get("type").asText()).isEqualTo("resync");
    assertThat(resync.get("sequence").asLong()).isGreaterThanOrEqualTo(newest);

    // resuming after the resync's sequence replays normally again
    Client resumed = connect("access_token=anna-token&last_sequence="
        + resync.get("sequence").asLong());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(resumed.contents()).containsExactly("live"));
    assertThat(resumed.events).noneMatch(e -> e.get("type").asText().equals("resync"));
  }

  @Test
  void unidentifiedConnectionsAreClosedWithPolicyViolation() throws Exception {
    Client anonymous = connect("access_token=wrong");
    Client forged = connect("pubsub_token=not-a-real-token");
    assertThat(anonymous.closed.get(10, TimeUnit.SECONDS).getCloseCode())
        .isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
    assertThat(forged.closed.get(10, TimeUnit.SECONDS).getCloseCode())
        .isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
  }

  /** Opens the endpoint on a Tomcat-like session, with at most {@code limit} frames queued. */
  TomcatLikeSession openOnTomcatLike(RealtimeHub on, int limit, String lastSequence)
      throws InstantiationException {
    TomcatLikeSession tomcat = new TomcatLikeSession(Map.of("access_token", List.of("anna-token"),
        "last_sequence", List.of(lastSequence)));
    RealtimeEndpoint endpoint = (RealtimeEndpoint) RealtimeEndpoint.config("/realtime", on, auth,
        limit).getConfigurator().getEndpointInstance(RealtimeEndpoint.class);
    endpoint.onOpen(tomcat.session, null);
    return tomcat;
  }

  @Test
  void aReplayAndABurstReachAContainerThatSendsOneFrameAtATimeCompleteAndInOrder()
      throws Exception {
    f.incoming(inbox, "c0", "b-0", "before");
    long last = newestSequence();
    for (int i = 1; i <= 20; i++) {
      f.incoming(inbox, "c0", "b-" + i, "missed " + i);
    }
    try (RealtimeHub roomy = RealtimeHub.builder(f.sb).maxReplay(1000).build();
        TomcatLikeSession tomcat = openOnTomcatLike(roomy, 1000, String.valueOf(last))) {
      for (int i = 1; i <= 20; i++) {
        // a new contact each: contact.created, conversation.created, message.created at once
        f.incoming(inbox, "burst-" + i, "n-" + i, "live " + i);
      }

      List<Long> expected = f.sb.events(acme.id(), last, 100_000).stream()
          .map(io.switchboard.event.Event::sequence).toList();
      assertThat(expected).hasSize(80);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tomcat.received
          .stream().map(frame -> Json.tree(frame).get("sequence").asLong()).toList())
          .containsExactlyElementsOf(expected));
      assertThat(tomcat.closed).isNotDone();
    }
  }

  @Test
  void aClientThatFallsTooFarBehindIsClosedToTryAgainLaterOnceItsFrameInFlightIsSent()
      throws Exception {
    long opened = newestSequence();
    try (TomcatLikeSession tomcat = openOnTomcatLike(hub, 3, String.valueOf(opened))) {
      tomcat.stall = true;
      for (int i = 1; i <= 3; i++) {
        f.incoming(inbox, "slow-" + i, "s-" + i, "message " + i);
      }
      // one frame in flight, three waiting, and more: too many
      assertThat(f.sb.events(acme.id(), opened, 100_000)).hasSizeGreaterThan(4);
      assertThat(tomcat.closed).isNotDone();

      tomcat.resume();
      CloseReason reason = tomcat.closed.get(10, TimeUnit.SECONDS);
      assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.TRY_AGAIN_LATER);
      assertThat(reason.getReasonPhrase()).contains("too slow", "last_sequence");
      assertThat(tomcat.received).hasSize(1);
    }
  }

  @Test
  void anAgentRemovedFromTheAccountIsDisconnectedAtItsNextHeartbeat() throws Exception {
    Client agent = connect("access_token=anna-token" + fromNow());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        hub.onlineAgents(acme.id()).contains(anna.id()));
    store.removedAgents.add(anna.id());

    agent.session.getBasicRemote().sendText(HEARTBEAT);

    CloseReason reason = agent.closed.get(10, TimeUnit.SECONDS);
    assertThat(reason.getCloseCode()).isEqualTo(CloseReason.CloseCodes.VIOLATED_POLICY);
    assertThat(reason.getReasonPhrase()).isEqualTo("no longer an agent of the account");
    assertThat(hub.onlineAgents(acme.id())).isEmpty();
  }
}
