package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConversationFilter;
import io.switchboard.InboxDraft;
import io.switchboard.WebhookAcknowledgement;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Conversation;
import io.switchboard.model.Message;
import io.switchboard.store.JobRecord;
import io.switchboard.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks acknowledged once stored ({@link WebhookAcknowledgement#AFTER_STORING}): the answer
 * does not wait for processing, the ingest lanes process the stored deliveries in bulk and in
 * each sender's order, and nothing acknowledged is lost or processed twice.
 */
abstract class StoredAcknowledgementContract {
  static final String SECRET = "s3cret-token";
  Fixture f;
  FailingStore store;
  Account account;
  /** The content of each created message and the thread its sync event was dispatched on. */
  final Map<String, String> createdOn = new ConcurrentHashMap<>();

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    store = new FailingStore(newStore());
    f = new Fixture(store, b -> b.channel(new TestChannel())
        .webhookAcknowledgement(WebhookAcknowledgement.AFTER_STORING)
        .syncListener(event -> {
          if (event.type() == EventType.MESSAGE_CREATED) {
            createdOn.put(((Message) event.data()).content(), Thread.currentThread().getName());
          }
        }));
    account = f.account("Acme");
    f.sb.admin().createInbox(account.id(), InboxDraft.of("Bot", TestChannel.TYPE,
        Map.of("bot", "bot-1", "secret", SECRET)));
  }

  @AfterEach
  void tearDown() {
    store.gate = null;
    f.close();
  }

  private int post(String id, String from, String text) {
    return f.sb.incoming().handleWebhook(TestChannel.TYPE, WebhookRequest
        .builder("POST", "/webhooks/test").header("X-Test-Secret", SECRET)
        .header("Content-Type", "application/json")
        .body(TestChannel.payload("bot-1", id, from, text)).build()).status();
  }

  private List<Conversation> conversations() {
    return f.sb.conversations().list(account.id(), ConversationFilter.all(), null, 100).items();
  }

  private List<Message> messages() {
    List<Message> all = new ArrayList<>();
    for (Conversation c : conversations()) {
      all.addAll(f.sb.messages().list(account.id(), c.id(), null, 200).items());
    }
    return all;
  }

  /** Inbound jobs, due or leased: what is stored and not yet processed. */
  private List<JobRecord> inboundJobs() {
    return store.inTransaction(tx -> tx.listDueJobs(Instant.now().plus(Duration.ofDays(1)), 500))
        .stream().filter(j -> j.kind().equals("inbound")).toList();
  }

  @Test
  void theAnswerGoesOnceTheDeliveryIsStoredAndALaneProcessesItBehindTheAnswer() {
    store.gate = new CountDownLatch(1);

    assertThat(post("a-1", "42", "hello")).isEqualTo(200);

    // stored and answered while the lane is held before its first lookup of the sender
    assertThat(store.rawTransactionsCommitted.get()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.incomingTransactionsStarted.get() == 1);
    assertThat(messages()).isEmpty();
    assertThat(inboundJobs()).hasSize(1);

    store.gate.countDown();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(messages()).extracting(Message::content).containsExactly("hello"));
    // the raw request was marked processed and its job deleted with the message
    assertThat(inboundJobs()).isEmpty();
    assertThat(createdOn.get("hello")).startsWith("switchboard-ingest-");
  }

  @Test
  void aSendersDeliveriesAreProcessedInBulkAndInTheOrderTheyWereStored() {
    store.gate = new CountDownLatch(1);
    assertThat(post("o-0", "7", "m-0")).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.incomingTransactionsStarted.get() == 1);
    // the lane holds the first; the next forty wait for it in the lane's queue
    for (int i = 1; i <= 40; i++) {
      assertThat(post("o-" + i, "7", "m-" + i)).isEqualTo(200);
    }
    store.gate.countDown();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(messages()).hasSize(41));
    assertThat(conversations()).hasSize(1);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= 40; i++) {
      expected.add("m-" + i);
    }
    // listed in the order they were created
    assertThat(messages()).extracting(Message::content).containsExactlyElementsOf(expected);
    // the forty queued behind the first were processed in one shared transaction
    assertThat(store.incomingTransactionsStarted.get()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> inboundJobs().isEmpty());
  }

  @Test
  void concurrentDeliveriesRedeliveriesAndAPoisonedOneLoseNothingAndDuplicateNothing()
      throws Exception {
    int senders = 8;
    int each = 10;
    String poison = "p".repeat(150_001);
    // every delivery twice, from different threads
    assertThat(Redeliveries.postEachTwice(senders, each,
        n -> post("g-" + n, "u-" + (n % 10), n == 5 ? poison : "m-" + n))).containsOnly(200);

    int good = senders * each - 1;
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(messages()).hasSize(good));
    await().atMost(Duration.ofSeconds(30)).until(() -> inboundJobs().isEmpty());
    assertThat(messages()).extracting(Message::content).doesNotHaveDuplicates()
        .doesNotContain(poison);
    assertThat(conversations()).hasSize(10);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(good);
    assertThat(f.sb.deadJobs(10)).isEmpty();
  }

  @Test
  void aDeliveryWhoseProcessingFailsIsAnsweredAndProcessedByItsJobLater() {
    store.failInserts.set(true);

    assertThat(post("f-1", "9", "kept")).isEqualTo(200);
    // the lane's attempt and its job's first run both failed
    await().atMost(Duration.ofSeconds(10))
        .until(() -> store.incomingTransactionsStarted.get() >= 2);
    assertThat(messages()).isEmpty();

    store.failInserts.set(false);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(messages()).extracting(Message::content).containsExactly("kept"));
    await().atMost(Duration.ofSeconds(10)).until(() -> inboundJobs().isEmpty());
  }

  @Test
  void closeLetsTheLanesProcessWhatTheyHold() throws Exception {
    store.gate = new CountDownLatch(1);
    for (int i = 0; i < 5; i++) {
      assertThat(post("c-" + i, "c" + i, "held " + i)).isEqualTo(200);
    }
    Thread opener = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        return;
      }
      store.gate.countDown();
    });
    opener.start();

    f.sb.close();

    opener.join();
    assertThat(createdOn).containsOnlyKeys("held 0", "held 1", "held 2", "held 3", "held 4");
  }
}
