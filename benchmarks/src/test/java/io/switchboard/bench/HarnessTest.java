package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.InboxDraft;
import io.switchboard.Switchboard;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.whatsapp.WhatsAppChannel;
import io.switchboard.channel.whatsapp.WhatsAppConfig;
import io.switchboard.jdbi.JdbiStore;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The harness's own parts: the traffic it sends, the statistics and the report it writes. */
class HarnessTest {

  @Test
  void generatedDeliveriesAreAcceptedByTheWhatsAppChannelAndForgedOnesAreNot() throws Exception {
    try (GraphApi graph = new GraphApi();
        Switchboard sb = Switchboard.builder().store(JdbiStore.h2InMemory())
            .channel(WhatsAppChannel.create(WhatsAppConfig.defaults()
                .withGraphBaseUrl(graph.baseUrl())))
            .build()) {
      Account account = sb.admin().createAccount("Bench");
      Inbox inbox = sb.admin().createInbox(account.id(), InboxDraft.of("WhatsApp",
          ChannelType.WHATSAPP, Map.of(WhatsAppChannel.PHONE_NUMBER_ID,
              WhatsAppTraffic.PHONE_NUMBER_ID, WhatsAppChannel.ACCESS_TOKEN,
              WhatsAppTraffic.ACCESS_TOKEN, WhatsAppChannel.APP_SECRET,
              WhatsAppTraffic.APP_SECRET)));
      WhatsAppTraffic traffic = new WhatsAppTraffic("t", 20, 1);
      Set<String> contacts = new HashSet<>();
      int media = 0;
      for (int i = 0; i < 60; i++) {
        WhatsAppTraffic.Delivery d = traffic.next();
        contacts.add(d.waId());
        media += d.media() ? 1 : 0;
        assertThat(sb.incoming().handleWebhook(ChannelType.WHATSAPP, request(d.body(),
            d.signature())).status()).isEqualTo(200);
        Message stored = sb.incoming().receive(account.id(), inbox.id(),
            io.switchboard.channel.InboundMessage.text(d.wamid(),
                io.switchboard.channel.InboundContact.of(d.waId(), "x"), "again"));
        // the delivery created the message: receiving its id again finds it, unchanged
        assertThat(stored.sourceId()).isEqualTo(d.wamid());
        assertThat(stored.content()).isNotEqualTo("again");
      }
      // new and returning contacts, text and media
      assertThat(contacts).hasSizeBetween(10, 20);
      assertThat(media).isBetween(3, 30);

      WhatsAppTraffic.Delivery d = traffic.next();
      byte[] forged = new String(d.body(), StandardCharsets.UTF_8).replace("wamid", "wamix")
          .getBytes(StandardCharsets.UTF_8);
      assertThat(sb.incoming().handleWebhook(ChannelType.WHATSAPP, request(forged,
          d.signature())).status()).isEqualTo(401);
    }
  }

  private static WebhookRequest request(byte[] body, String signature) {
    return new WebhookRequest("POST", "/webhooks/whatsapp", Map.of(),
        Map.of("X-Hub-Signature-256", List.of(signature)), body);
  }

  @Test
  void statsGivePercentilesOfTheSamples() {
    Stats stats = new Stats();
    for (int i = 1; i <= 1000; i++) {
      stats.add(i * 1_000_000L);
    }
    Map<String, Object> s = stats.summary();
    assertThat(s).containsEntry("count", 1000).containsEntry("p50_ms", 500.0)
        .containsEntry("p99_ms", 990.0).containsEntry("max_ms", 1000.0);
    assertThat(new Stats().summary()).containsEntry("count", 0).containsEntry("max_ms", 0.0);
  }

  @Test
  void aReportIsWrittenAsJsonMarkdownAndAnEscapedSvg() throws Exception {
    RunReport r = new RunReport("demo", "Demo <run>").columns("what", "value")
        .row("rate", 1234.5).row("count", 7L).note("a note")
        .panel("Throughput", "msg/s", List.of(new RunReport.Bar("a & b", 10),
            new RunReport.Bar("c", 5)));
    r.figures.put("rate", 1234.5);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("report");
    r.write(dir, Map.of("cores", 2));

    String md = java.nio.file.Files.readString(dir.resolve("demo.md"));
    assertThat(md).contains("| rate | 1,235 |", "| count | 7 |", "- a note", "(demo.svg)");
    String svg = java.nio.file.Files.readString(dir.resolve("demo.svg"));
    assertThat(svg).startsWith("<svg").contains("a &amp; b", "Demo &lt;run&gt;")
        .doesNotContain("a & b");
    assertThat(io.switchboard.internal.Json.tree(java.nio.file.Files.readString(
        dir.resolve("demo.json"))).get("figures").get("rate").asDouble()).isEqualTo(1234.5);
    Databases.deleteTree(dir);
  }
  @Test
  void aRunStoppedBeforeItsEndLeavesNoSchemaBehindEvenWithATransactionOpen() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Databases.postgresAvailable(),
        "PostgreSQL is not running");
    Databases.Db db = Databases.postgres();
    String schema;
    java.sql.Connection busy = db.pool.getConnection();
    try (java.sql.Statement s = busy.createStatement()) {
      try (java.sql.ResultSet rs = s.executeQuery("SELECT current_schema()")) {
        rs.next();
        schema = rs.getString(1);
      }
      s.execute("CREATE TABLE held (id int)");
      // a run stopped in the middle of a transaction that holds a lock in the schema
      busy.setAutoCommit(false);
      s.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
    }
    assertThat(schema).startsWith("bench_");
    assertThat(schemaExists(schema)).isTrue();

    db.onExit.run(); // what the JVM runs when the run is stopped (Ctrl-C)

    assertThat(schemaExists(schema)).isFalse();
    db.close(); // and the normal end after it does nothing more
  }

  @Test
  void aStoppedRunLeavesNoH2FileBehind() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bench-h2");
    Databases.Db db = Databases.h2File(dir);
    try (java.sql.Connection c = db.pool.getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id int)");
    }
    try (var made = java.nio.file.Files.list(dir)) {
      assertThat(made).isNotEmpty();
    }

    db.onExit.run();

    try (var left = java.nio.file.Files.list(dir)) {
      assertThat(left).isEmpty();
    }
    db.close();
    Databases.deleteTree(dir);
  }

  private static boolean schemaExists(String schema) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(Databases.PG_URL,
        Databases.PG_USER, Databases.PG_PASSWORD);
        java.sql.PreparedStatement ps = c.prepareStatement(
            "SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Test
  void aPhaseWhoseAgentSocketEndsStopsWaitingAndSaysWhy() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bench-socket");
    try (Databases.Db db = Databases.h2File(dir)) {
      Target target = new Target(db, dir);
      AgentSocket socket = new AgentSocket(target.host.port(), target.agentToken);
      // the host stops: the server ends the agent's socket, as it does a client that reads
      // too slowly
      target.close();
      long start = System.nanoTime();
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> socket.await(10, java.time.Duration.ofSeconds(60)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("agent's real-time socket was")
          .hasMessageContaining("0 of 10 messages");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(java.time.Duration.ofSeconds(30));
    } finally {
      Databases.deleteTree(dir);
    }
  }
}
