package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConversationFilter;
import io.switchboard.InboxDraft;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.store.Store;
import io.switchboard.event.EventType;
import io.switchboard.model.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook path: verification, bad input, durability before the acknowledgement. */
abstract class WebhookContract {
  Fixture f;
  FailingStore store;
  Account account;
  Inbox inbox;
  /** The content of each created message and the thread its sync event was dispatched on. */
  final Map<String, String> createdOn = new ConcurrentHashMap<>();

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    store = new FailingStore(newStore());
    f = new Fixture(store, b -> b.channel(new TestChannel()).syncListener(event -> {
      if (event.type() == EventType.MESSAGE_CREATED) {
        createdOn.put(((Message) event.data()).content(), Thread.currentThread().getName());
      }
    }));
    account = f.account("Acme");
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("Bot", TestChannel.TYPE,
        Map.of("bot", "bot-1", "secret", "s3cret-token")));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private WebhookResponse post(String body, String secret) {
    return post(body, secret, "application/json");
  }

  private WebhookResponse post(String body, String secret, String contentType) {
    WebhookRequest.Builder r = WebhookRequest.builder("POST", "/webhooks/test").body(body)
        .header("Content-Type", contentType);
    if (secret != null) {
      r.header("X-Test-Secret", secret);
    }
    return f.sb.incoming().handleWebhook(TestChannel.TYPE, r.build());
  }

  private List<Conversation> conversations() {
    return f.sb.conversations().list(account.id(), ConversationFilter.all(), null, 100).items();
  }

  private int messageCount() {
    return conversations().stream().mapToInt(c ->
        f.sb.messages().list(account.id(), c.id(), null, 200).items().size()).sum();
  }

  @Test
  void aVerifiedWebhookIsAcknowledgedAndItsMessageStored() {
    WebhookResponse response = post(TestChannel.payload("bot-1", "u-1", "42", "hello"), "s3cret-token");

    assertThat(response.status()).isEqualTo(200);
    assertThat(messageCount()).isEqualTo(1);
    Conversation c = conversations().get(0);
    assertThat(f.sb.messages().list(account.id(), c.id(), null, 10).items().get(0).content())
        .isEqualTo("hello");
  }

  @Test
  void webhooksWithContentTypesOfAThousandCharactersAndMoreAreAcknowledgedAndStored() {
    // kept as sent up to 1,000 characters, cut there beyond
    for (int length : new int[] {1000, 4000}) {
      String contentType = "application/json; boundary=" + "b".repeat(length - 27);
      assertThat(contentType).hasSize(length);
      WebhookResponse response = post(TestChannel.payload("bot-1", "m-" + length, "42",
          "hello"), "s3cret-token", contentType);
      assertThat(response.status()).isEqualTo(200);
    }

    assertThat(messageCount()).isEqualTo(2);
  }

  @Test
  void aForgedOrMissingSecretGets401AndStoresNothing() {
    assertThat(post(TestChannel.payload("bot-1", "u-2", "42", "x"), "wrong").status()).isEqualTo(401);
    assertThat(post(TestChannel.payload("bot-1", "u-3", "42", "x"), null).status()).isEqualTo(401);
    assertThat(conversations()).isEmpty();
  }

  @Test
  void aMalformedPayloadGets400() {
    WebhookResponse response = post("{not json", "s3cret-token");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("s3cret");
    assertThat(conversations()).isEmpty();
  }

  @Test
  void anOversizedBodyIsRefusedWith413() {
    String huge = "{\"bot\":\"bot-1\",\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    assertThat(post(huge, "s3cret-token").status()).isEqualTo(413);
    assertThat(conversations()).isEmpty();
  }

  @Test
  void aWebhookForAnUnknownBotIsAcknowledgedWithoutStoringAnything() {
    assertThat(post(TestChannel.payload("bot-9", "u-4", "42", "x"), "s3cret-token").status())
        .isEqualTo(200);
    assertThat(conversations()).isEmpty();
  }

  @Test
  void aChannelWithoutWebhookParserAnswers404() {
    WebhookResponse response = f.sb.incoming().handleWebhook(ChannelType.API,
        WebhookRequest.builder("POST", "/x").body("{}").build());
    assertThat(response.status()).isEqualTo(404);
  }

  @Test
  void aRedeliveredWebhookCreatesNoSecondMessage() {
    String body = TestChannel.payload("bot-1", "u-5", "43", "once");
    for (int i = 0; i < 3; i++) {
      assertThat(post(body, "s3cret-token").status()).isEqualTo(200);
    }
    assertThat(messageCount()).isEqualTo(1);
  }

  @Test
  void anAcknowledgedWebhookIsProcessedLaterWhenTheDatabaseFailedDuringProcessing() {
    store.failInserts.set(true);
    WebhookResponse response = post(TestChannel.payload("bot-1", "u-6", "44", "kept"), "s3cret-token");
    assertThat(response.status()).isEqualTo(200);
    assertThat(messageCount()).isZero();

    store.failInserts.set(false);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messageCount()).isEqualTo(1));
  }

  @Test
  void concurrentDeliveriesShareTransactionsWithoutLosingOrDuplicatingAnyAndABadOneHarmsNone()
      throws Exception {
    int senders = 12;
    int each = 8;
    String poison = "p".repeat(150_001);
    Map<String, java.util.Set<String>> postedBy = new ConcurrentHashMap<>();
    // every delivery twice, from different senders: one message each all the same
    assertThat(Redeliveries.postEachTwice(senders, each, n -> {
      String text = n == 5 ? poison : "m-" + n;
      postedBy.computeIfAbsent(text, k -> ConcurrentHashMap.newKeySet())
          .add(Thread.currentThread().getName());
      return post(TestChannel.payload("bot-1", "g-" + n, "u-" + (n % 10), text), "s3cret-token")
          .status();
    })).containsOnly(200);

    int good = senders * each - 1;
    assertThat(messageCount()).isEqualTo(good);
    assertThat(conversations()).hasSize(10);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(good);
    // each delivery's events are dispatched on the thread that posted it
    assertThat(createdOn).hasSize(good);
    assertThat(createdOn).allSatisfy((content, thread) ->
        assertThat(postedBy.get(content)).contains(thread));
    assertThat(createdOn).doesNotContainKey(poison);
  }

  /** What {@link #postOneAtATimeBehindTheGate} saw. */
  private record Held(int open, java.time.Instant gateOpened, List<String> threads) {}

  /**
   * Posts the bodies one at a time while every transaction of incoming work is held at its
   * first sender lookup: each delivery either finds a writer's slot free and opens a
   * transaction, held there, or finds every slot taken and is queued (its caller parked). Then
   * opens the gate and checks that every delivery was acknowledged.
   */
  private Held postOneAtATimeBehindTheGate(List<String> bodies) throws Exception {
    store.gate = new CountDownLatch(1);
    List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    String[] threads = new String[bodies.size()];
    ExecutorService pool = Executors.newFixedThreadPool(bodies.size(), r -> {
      Thread t = new Thread(r);
      t.setName("held-" + workers.size());
      workers.add(t);
      return t;
    });
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < bodies.size(); i++) {
        int n = i;
        answers.add(pool.submit(() -> {
          threads[n] = Thread.currentThread().getName();
          return post(bodies.get(n), "s3cret-token").status();
        }));
        await().atMost(Duration.ofSeconds(20)).until(() -> workers.size() == n + 1
            && workers.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING));
      }
      int open = store.incomingTransactionsStarted.get();
      java.time.Instant opened =
          java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
      store.gate.countDown();
      for (Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(200);
      }
      return new Held(open, opened, List.of(threads));
    } finally {
      store.gate = null;
      pool.shutdownNow();
    }
  }

  @Test
  void deliveriesThatArriveWhileATransactionIsOpenJoinItAtTheirOwnTime() throws Exception {
    int deliveries = 8;
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < deliveries; i++) {
      bodies.add(TestChannel.payload("bot-1", "s-" + i, "u-" + i, "shared " + i));
    }
    Held held = postOneAtATimeBehindTheGate(bodies);

    assertThat(messageCount()).isEqualTo(deliveries);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(deliveries);
    // one transaction per writer's slot was open, and at least one delivery was queued
    assertThat(held.open()).isBetween(1, store.concurrentWriters()).isLessThan(deliveries);
    // the queued deliveries joined the open transactions: no other one was needed
    assertThat(store.rawTransactionsCommitted.get()).isEqualTo(held.open());
    // and each ran at its own time: the ones that joined after the gate opened are not dated
    // before it
    List<java.time.Instant> times = conversations().stream().flatMap(c ->
        f.sb.messages().list(account.id(), c.id(), null, 200).items().stream())
        .map(io.switchboard.model.Message::createdAt).toList();
    assertThat(times.stream().filter(t -> !t.isBefore(held.gateOpened())).count())
        .isEqualTo(deliveries - held.open());
  }

  @Test
  void aDeliveryThatFailsAfterJoiningAnOpenTransactionCostsItOneRerunAndHarmsNoOther()
      throws Exception {
    int deliveries = 8;
    // the last delivery cannot be processed (content over the limit); it is queued behind the
    // others, so it joins an open transaction late and fails there
    String poison = "p".repeat(150_001);
    List<String> texts = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < deliveries; i++) {
      texts.add(i == deliveries - 1 ? poison : "late " + i);
      bodies.add(TestChannel.payload("bot-1", "l-" + i, "v-" + i, texts.get(i)));
    }
    Held held = postOneAtATimeBehindTheGate(bodies);

    assertThat(held.open()).isLessThan(deliveries - 1);
    int good = deliveries - 1;
    assertThat(messageCount()).isEqualTo(good);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(good);
    assertThat(createdOn).doesNotContainKey(poison).hasSize(good);
    // each message's event reaches the thread that posted it, also after the rerun
    for (int i = 0; i < good; i++) {
      assertThat(createdOn.get(texts.get(i))).isEqualTo(held.threads().get(i));
    }
    // every open transaction committed once, after the failing delivery was dropped from its
    // batch; the failing one was then stored with a job of its own, in one more transaction
    assertThat(store.rawTransactionsCommitted.get()).isEqualTo(held.open() + 1);
  }
}
