package io.switchboard.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.Switchboard;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.jdbi.JdbiStore;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.webhook.Webhook;
import io.switchboard.webhook.WebhookDraft;
import io.switchboard.webhook.WebhookEvent;
import io.switchboard.webhook.WebhookSignatures;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The smallest complete host: an embedded H2 file database, the API channel, a sync and an
 * async listener, and a local receiver standing in for the host's own backend.
 *
 * <p>It receives a customer's message, replies as an agent (the reply is POSTed, signed, to
 * the receiver), resolves the conversation and prints what happened. Run it from the
 * repository root with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=io.switchboard.examples.ApiQuickstart};
 * running it again
 * reuses the account, agent and inbox stored in {@code data/quickstart}.
 */
public final class ApiQuickstart {
  /** The API inbox's signing secret. A real host loads it from its secret store. */
  static final String WEBHOOK_SECRET = "quickstart-signing-secret-0123456789";
  static final String ACCOUNT_NAME = "Quickstart Ltd";
  static final String AGENT_EMAIL = "anna@quickstart.example";
  static final String INBOX_NAME = "Quickstart API";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private ApiQuickstart() {}

  public static void main(String[] args) throws Exception {
    run(Path.of("data/quickstart"), System.out);
  }

  /** What one run stored, for callers that want to look at it afterwards. */
  public record Outcome(long accountId, long conversationId, long replyId, String conversationUuid) {}

  /** Runs the quickstart on the H2 database {@code database} (a file path without extension). */
  public static Outcome run(Path database, PrintStream out) throws Exception {
    try (Receiver receiver = Receiver.start(WEBHOOK_SECRET, out)) {
      List<String> syncSeen = new CopyOnWriteArrayList<>();
      List<String> asyncSeen = new CopyOnWriteArrayList<>();

      // --- wiring
      Switchboard switchboard = Switchboard.builder()
          .store(JdbiStore.h2File(database))
          .channel(ApiChannel.create())
          // sync: runs in the committing thread right after each commit; keep it fast
          .syncListener(event -> syncSeen.add(event.type().wireName()))
          // async: fed from the transactional outbox on worker threads, at least once
          .asyncListener("printer", event -> {
            asyncSeen.add(event.type().wireName());
            out.println("  [async printer] " + event.type().wireName());
          })
          // the account webhook below posts to the local receiver on 127.0.0.1
          .allowPrivateNetworkWebhooks(true)
          .build();
      // --- end of wiring

      try (switchboard) {
        Account account = switchboard.admin().accounts().stream()
            .filter(a -> a.name().equals(ACCOUNT_NAME)).findFirst()
            .orElseGet(() -> switchboard.admin().createAccount(ACCOUNT_NAME));
        // createAgent finds the user by email, so it is safe to call on every run
        User anna = switchboard.admin().createAgent(account.id(), "Anna", AGENT_EMAIL,
            Role.AGENT, null);
        Inbox inbox = apiInbox(switchboard, account.id(), receiver.url());
        out.printf("account %d, agent %s, inbox %d -> %s%n", account.id(), anna.name(),
            inbox.id(), receiver.url());

        Webhook hook = accountWebhook(switchboard, account.id(), receiver.eventsUrl());
        out.printf("account webhook %d -> %s %s%n", hook.id(), hook.url(),
            hook.subscriptions().stream().map(WebhookEvent::wireName).sorted().toList());

        // a customer writes in (the host's API route would call this)
        Message incoming = switchboard.incoming().receive(account.id(), inbox.id(),
            InboundMessage.text("quickstart-" + UUID.randomUUID(),
                InboundContact.of("customer-42", "Dana Customer"), "Hello! Where is my order?"));
        long conversationId = incoming.conversationId();

        // the agent replies: stored, then POSTed to the receiver by a background worker
        Message reply = switchboard.messages().reply(account.id(), conversationId,
            MessageDraft.text("Hi {{contact.first_name}}, it ships today."), Actor.user(anna));
        if (!receiver.received.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the receiver got no reply within " + WAIT);
        }
        waitUntil(() -> switchboard.messages().get(account.id(), reply.id()).sourceId() != null,
            "the receiver's id to be stored on the reply");

        Conversation conversation = switchboard.conversations().changeStatus(account.id(),
            conversationId, ConversationStatus.RESOLVED, null, Actor.user(anna));
        // the account webhook gets conversation_status_changed, signed
        if (!receiver.statusChanged.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("the account webhook got nothing within " + WAIT);
        }
        // every committed event reaches the async listener too, a moment later
        waitUntil(() -> asyncSeen.size() >= syncSeen.size(),
            "the async listener to see every event");

        out.printf("conversation #%d %s %s%n", conversation.displayId(),
            conversation.status().wireName(), conversation.uuid());
        for (Message m : switchboard.messages().list(account.id(), conversationId, null, 50)
            .items()) {
          out.printf("  %-8s %s%s%n", m.messageType().wireName(), m.content(),
              m.messageType() == MessageType.OUTGOING ? "  (" + m.status().wireName() + ")" : "");
        }
        out.println("sync events:  " + syncSeen);
        out.println("async events: " + asyncSeen);
        return new Outcome(account.id(), conversationId, reply.id(), conversation.uuid());
      }
    }
  }

  /** The API inbox posting to {@code url}: created on the first run, re-pointed afterwards. */
  private static Inbox apiInbox(Switchboard switchboard, long accountId, String url) {
    Map<String, String> settings = Map.of(
        ApiChannel.WEBHOOK_URL, url,
        ApiChannel.WEBHOOK_SECRET, WEBHOOK_SECRET);
    return switchboard.admin().inboxes(accountId).stream()
        .filter(i -> i.channelType() == ChannelType.API && i.name().equals(INBOX_NAME))
        .findFirst()
        .map(i -> switchboard.admin().updateInbox(accountId, i.id(),
            InboxDraft.update().withSettings(settings)))
        .orElseGet(() -> switchboard.admin().createInbox(accountId,
            InboxDraft.of(INBOX_NAME, ChannelType.API, settings)));
  }

  /** The account webhook posting to {@code url}: created on the first run, re-pointed afterwards. */
  private static Webhook accountWebhook(Switchboard switchboard, long accountId, String url) {
    WebhookDraft draft = WebhookDraft.of(url, WEBHOOK_SECRET,
        WebhookEvent.CONVERSATION_STATUS_CHANGED);
    return switchboard.webhooks().list(accountId).stream().findFirst()
        .map(w -> switchboard.webhooks().update(accountId, w.id(), draft))
        .orElseGet(() -> switchboard.webhooks().create(accountId, draft));
  }

  private static void waitUntil(BooleanSupplier condition, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("gave up waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Stands in for the host's backend: accepts the API channel's POSTs on 127.0.0.1, checks
   * {@code X-Switchboard-Signature} and answers with its own id for the message.
   */
  static final class Receiver implements AutoCloseable {
    final CountDownLatch received = new CountDownLatch(1);
    final CountDownLatch statusChanged = new CountDownLatch(1);
    private final HttpServer server;
    private final String secret;
    private final PrintStream out;

    private Receiver(HttpServer server, String secret, PrintStream out) {
      this.server = server;
      this.secret = secret;
      this.out = out;
    }

    static Receiver start(String secret, PrintStream out) throws IOException {
      HttpServer server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Receiver receiver = new Receiver(server, secret, out);
      server.createContext("/switchboard", receiver::handle);
      server.createContext("/events", receiver::handleEvent);
      server.start();
      return receiver;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/switchboard";
    }

    String eventsUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** Account webhook deliveries, checked with Switchboard's own helper. */
    private void handleEvent(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        if (!WebhookSignatures.verify(secret, headers.getFirst(WebhookSignatures.TIMESTAMP_HEADER),
            body, headers.getFirst(WebhookSignatures.SIGNATURE_HEADER), Duration.ofMinutes(5))) {
          out.println("  [receiver] rejected an event with a bad signature");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        out.println("  [receiver] verified webhook "
            + headers.getFirst(WebhookSignatures.DELIVERY_HEADER) + ": "
            + (text.length() > 120 ? text.substring(0, 120) + "…" : text));
        exchange.sendResponseHeaders(204, -1);
        if (text.contains("\"event\":\"conversation_status_changed\"")) {
          statusChanged.countDown();
        }
      }
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst("X-Switchboard-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("X-Switchboard-Signature");
        String delivery = exchange.getRequestHeaders().getFirst("X-Switchboard-Delivery");
        if (timestamp == null || signature == null || !verify(timestamp, body, signature)) {
          out.println("  [receiver] rejected a request with a bad signature");
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        out.println("  [receiver] verified delivery " + delivery + ": "
            + new String(body, StandardCharsets.UTF_8));
        byte[] answer = ("{\"source_id\":\"receiver-" + UUID.randomUUID() + "\"}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        received.countDown();
      }
    }

    /**
     * Whether the signature is {@code sha256=} hex HMAC-SHA256(secret, timestamp + "." + body),
     * compared in constant time, and the timestamp within five minutes of now, so that a
     * recorded delivery cannot be replayed later.
     */
    boolean verify(String timestamp, byte[] body, String signature) {
      return WebhookSignatures.verify(secret, timestamp, body, signature, Duration.ofMinutes(5));
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
