package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.Switchboard;
import io.switchboard.webhook.DeliveryStatus;
import io.switchboard.webhook.WebhookDelivery;
import io.switchboard.webhook.WebhookSignatures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 6 across a real crash: a host commits messages while the webhook receiver is down,
 * is killed with SIGKILL, and a new process on the same database delivers every webhook, each
 * with the delivery id it was first attempted with.
 */
abstract class WebhookCrashContract {
  static final int COUNT = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  abstract List<String> hostArguments(Path dir);

  abstract JdbiStore reopen(Path dir);

  @Test
  void webhooksOfMessagesCommittedBeforeAKillMinus9AreAllDeliveredAfterRestart() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    Map<String, String> refusedDeliveries = new ConcurrentHashMap<>();
    List<String> deliveredContents = new CopyOnWriteArrayList<>();
    Map<String, String> deliveredIds = new ConcurrentHashMap<>();
    List<Boolean> signaturesValid = new CopyOnWriteArrayList<>();
    MockWebServer receiver = new MockWebServer();
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String body = request.getBody().readString(StandardCharsets.UTF_8);
        String delivery = request.getHeader(WebhookSignatures.DELIVERY_HEADER);
        if (down.get()) {
          refusedDeliveries.put(delivery, body);
          return new MockResponse().setResponseCode(503);
        }
        signaturesValid.add(WebhookSignatures.verify(AccountWebhooksContract.SECRET,
            request.getHeader(WebhookSignatures.TIMESTAMP_HEADER),
            body.getBytes(StandardCharsets.UTF_8),
            request.getHeader(WebhookSignatures.SIGNATURE_HEADER), Duration.ofMinutes(5)));
        try {
          String content = JSON.readTree(body).get("content").asText();
          deliveredContents.add(content);
          deliveredIds.put(delivery, content);
        } catch (Exception e) {
          return new MockResponse().setResponseCode(400);
        }
        return new MockResponse().setResponseCode(200);
      }
    });
    receiver.start();
    try {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          WebhookCrashHost.class.getName()));
      command.addAll(hostArguments(dir));
      command.add(Integer.toString(COUNT));
      command.add(receiver.url("/hook").toString());
      Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
      long accountId;
      long webhookId;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null && !line.startsWith("COMMITTED ")) {
          seen.append(line).append('\n');
        }
        assertThat(line).as("host output:\n%s", seen).isNotNull();
        String[] ids = line.substring("COMMITTED ".length()).strip().split(" ");
        accountId = Long.parseLong(ids[0]);
        webhookId = Long.parseLong(ids[1]);
        // the host has started delivering: some deliveries were attempted and refused
        await().atMost(Duration.ofSeconds(30)).until(() -> !refusedDeliveries.isEmpty());
        host.destroyForcibly();
        assertThat(host.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(host.exitValue()).as("killed by SIGKILL").isEqualTo(137);
      Set<String> attemptedBeforeKill = Set.copyOf(refusedDeliveries.keySet());
      down.set(false);

      try (Switchboard sb = Switchboard.builder()
          .store(reopen(dir))
          .channel(io.switchboard.channel.api.ApiChannel.create())
          .allowPrivateNetworkWebhooks(true)
          .webhookRetryPolicy(AccountWebhooksContract.QUICK)
          .pollInterval(Duration.ofMillis(50))
          .build()) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          for (int i = 0; i < COUNT; i++) {
            assertThat(deliveredContents).as("delivered; dead jobs: %s", sb.deadJobs(20))
                .contains("message " + i);
          }
        });
        // the receiver has seen every body; each delivery is marked delivered once its worker
        // has read the answer and committed
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(sb.webhooks().deliveries(accountId, webhookId, 100)).hasSize(COUNT)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED)));
        List<WebhookDelivery> log = sb.webhooks().deliveries(accountId, webhookId, 100);
        // each delivery attempted before the kill arrived with that same id
        assertThat(deliveredIds.keySet()).containsAll(attemptedBeforeKill);
        assertThat(deliveredIds.keySet())
            .isEqualTo(log.stream().map(WebhookDelivery::id).collect(Collectors.toSet()));
        assertThat(signaturesValid).isNotEmpty().doesNotContain(false);
      }
    } finally {
      receiver.shutdown();
    }
  }
}
