package io.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.Switchboard;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.jdbi.JdbiStore;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiQuickstartTest {
  @TempDir
  Path dir;

  private record Printed(ApiQuickstart.Outcome outcome, String output) {}

  private Printed runOnce(Path database) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ApiQuickstart.Outcome outcome = ApiQuickstart.run(database, out);
      return new Printed(outcome, bytes.toString(StandardCharsets.UTF_8));
    }
  }

  private static Switchboard reopen(Path database) {
    return Switchboard.builder().store(JdbiStore.h2File(database)).channel(ApiChannel.create())
        .startWorkers(false).build();
  }

  @Test
  void aRunDeliversASignedReplyResolvesTheConversationAndPrintsTheStory() throws Exception {
    Path database = dir.resolve("quickstart");

    Printed run = runOnce(database);

    assertThat(run.output())
        .contains("[receiver] verified delivery")
        .contains("[receiver] verified webhook")
        .contains("{\"event\":\"conversation_status_changed\"")
        .doesNotContain("bad signature")
        .contains("\"content\":\"Hi Dana, it ships today.\"")
        .contains("conversation #1 resolved " + run.outcome().conversationUuid())
        .contains("incoming Hello! Where is my order?")
        .contains("outgoing Hi Dana, it ships today.  (sent)")
        .contains("activity Conversation was marked resolved by Anna")
        .contains("[async printer] conversation.resolved");
    assertThat(run.output().lines().filter(l -> l.startsWith("sync events:")).findFirst())
        .get().asString()
        .contains("contact.created", "conversation.created", "message.created",
            "first.reply.created", "conversation.resolved");

    try (Switchboard sb = reopen(database)) {
      long account = run.outcome().accountId();
      Conversation c = sb.conversations().get(account, run.outcome().conversationId());
      assertThat(c.status()).isEqualTo(ConversationStatus.RESOLVED);
      Message reply = sb.messages().get(account, run.outcome().replyId());
      assertThat(reply.status()).isEqualTo(MessageStatus.SENT);
      assertThat(reply.sourceId()).startsWith("receiver-");
      List<MessageType> types = sb.messages().list(account, c.id(), null, 50).items().stream()
          .map(Message::messageType).toList();
      assertThat(types).containsExactly(MessageType.INCOMING, MessageType.OUTGOING,
          MessageType.ACTIVITY);
    }
  }

  @Test
  void aSecondRunOnTheSameDatabaseReusesTheAccountAndInboxAndStartsANewConversation()
      throws Exception {
    Path database = dir.resolve("quickstart");

    Printed first = runOnce(database);
    Printed second = runOnce(database);

    assertThat(second.outcome().accountId()).isEqualTo(first.outcome().accountId());
    assertThat(second.outcome().conversationId()).isNotEqualTo(first.outcome().conversationId());
    assertThat(second.output())
        .contains("[receiver] verified delivery")
        .contains("conversation #2 resolved")
        .contains("inbox.updated");
    try (Switchboard sb = reopen(database)) {
      long account = first.outcome().accountId();
      assertThat(sb.admin().accounts()).hasSize(1);
      assertThat(sb.admin().inboxes(account)).hasSize(1);
      assertThat(sb.admin().agents(account)).hasSize(1);
      assertThat(sb.messages().get(account, second.outcome().replyId()).sourceId())
          .startsWith("receiver-");
    }
  }

  @Test
  void theReceiverAcceptsTheRightSignatureAndRejectsAForgedOne() throws Exception {
    try (ApiQuickstart.Receiver receiver = ApiQuickstart.Receiver.start(
        ApiQuickstart.WEBHOOK_SECRET, new PrintStream(new ByteArrayOutputStream()))) {
      byte[] body = "{\"event\":\"message_created\"}".getBytes(StandardCharsets.UTF_8);

      String now = Long.toString(java.time.Instant.now().getEpochSecond());
      String signature = sign(now, body);

      assertThat(receiver.verify(now, body, signature)).isTrue();
      assertThat(receiver.verify(Long.toString(Long.parseLong(now) + 1), body, signature))
          .isFalse();
      assertThat(receiver.verify(now, body, "sha256=" + "0".repeat(64))).isFalse();
      // a recorded delivery, correctly signed, is refused when replayed an hour later
      String anHourAgo = Long.toString(Long.parseLong(now) - 3600);
      assertThat(receiver.verify(anHourAgo, body, sign(anHourAgo, body))).isFalse();
    }
  }

  private static String sign(String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(ApiQuickstart.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8),
        "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }
}
