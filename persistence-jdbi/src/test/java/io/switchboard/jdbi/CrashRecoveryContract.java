package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConversationFilter;
import io.switchboard.Switchboard;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Conversation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 and the outbox, across a real crash: a host process is killed with SIGKILL after
 * committing messages whose async events were not delivered and acknowledging webhooks it had
 * not processed; a new process on the same database delivers and processes all of them.
 */
abstract class CrashRecoveryContract {
  static final int COUNT = 12;

  @TempDir
  Path dir;

  /** The CrashHost arguments for this database. */
  abstract List<String> hostArguments(Path dir);

  /** A store on the same database the host used. */
  abstract JdbiStore reopen(Path dir);

  @Test
  void eventsCommittedAndWebhooksAcknowledgedBeforeAKillMinus9AreDeliveredAfterRestart()
      throws Exception {
    crashAndRestart(List.of());
  }

  @Test
  void webhooksAcknowledgedOnceStoredAndStillQueuedAtAKillMinus9AreProcessedAfterRestart()
      throws Exception {
    crashAndRestart(List.of("stored"));
  }

  private void crashAndRestart(List<String> mode) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        CrashHost.class.getName()));
    command.addAll(hostArguments(dir));
    command.add(Integer.toString(COUNT));
    command.addAll(mode);
    Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
    long accountId;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.startsWith("COMMITTED ")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("host output:\n%s", seen).isNotNull();
      accountId = Long.parseLong(line.substring("COMMITTED ".length()).strip());
      host.destroyForcibly();
      assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(host.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    List<Event> delivered = new CopyOnWriteArrayList<>();
    try (Switchboard sb = Switchboard.builder()
        .store(reopen(dir))
        .channel(io.switchboard.channel.api.ApiChannel.create())
        .channel(new TestChannel())
        .pollInterval(Duration.ofMillis(50))
        .asyncListener("recorder", delivered::add)
        .build()) {
      long account = accountId;
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Set<String> texts = delivered.stream()
            .filter(e -> e.type() == EventType.MESSAGE_CREATED && e.accountId() == account)
            .map(e -> e.message().content()).collect(Collectors.toSet());
        for (int i = 0; i < COUNT; i++) {
          assertThat(texts).as("delivered; dead jobs: %s", sb.deadJobs(50))
              .contains("message " + i, "hook " + i);
        }
      });
      List<Conversation> conversations = sb.conversations()
          .list(accountId, ConversationFilter.all(), null, 200).items();
      int stored = conversations.stream().mapToInt(c ->
          sb.messages().list(account, c.id(), null, 200).items().size()).sum();
      assertThat(stored).isEqualTo(2 * COUNT);
      assertThat(delivered.stream().filter(e -> e.type() == EventType.MESSAGE_CREATED)
          .map(Event::id).distinct().count()).isEqualTo(2L * COUNT);
    }
  }
}
