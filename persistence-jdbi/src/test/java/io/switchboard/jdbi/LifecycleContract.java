package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConversationFilter;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.Switchboard;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.event.Listener;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.store.JobRecord;
import io.switchboard.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The life cycle of a {@link Switchboard}: host-supplied pools, and {@code close()} draining
 * work in flight while leaving queued work in the store for the next start.
 */
abstract class LifecycleContract {
  private final ExecutorService hostWorkers = Executors.newFixedThreadPool(2, named("host-worker"));
  private final ScheduledThreadPoolExecutor hostScheduler =
      new ScheduledThreadPoolExecutor(1, named("host-timer"));

  /** A store on this test's database: every call opens the same database again. */
  abstract Store openStore();

  @AfterEach
  void stopHostPools() {
    hostWorkers.shutdownNow();
    hostScheduler.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
  }

  private Switchboard.Builder builder(String listenerName, Listener listener) {
    return Switchboard.builder()
        .store(openStore())
        .channel(ApiChannel.create())
        .retryPolicy(Fixture.FAST_RETRY)
        .pollInterval(Duration.ofMillis(50))
        .asyncListener(listenerName, listener);
  }

  private static Listener onMessages(Consumer<Event> handler) {
    return new Listener() {
      @Override
      public boolean accepts(EventType type) {
        return type == EventType.MESSAGE_CREATED;
      }

      @Override
      public void onEvent(Event event) {
        handler.accept(event);
      }
    };
  }

  private static void receive(Switchboard sb, Inbox inbox, String messageId, String text) {
    sb.incoming().receive(inbox.accountId(), inbox.id(),
        InboundMessage.text(messageId, InboundContact.of("c-1", "Dana"), text));
  }

  @Test
  void jobsRunOnTheHostsThreadsAndTheHostsPoolsOutliveClose() throws Exception {
    hostScheduler.setRemoveOnCancelPolicy(true);
    List<String> threads = new CopyOnWriteArrayList<>();
    Switchboard sb = builder("threads", onMessages(e -> threads.add(Thread.currentThread().getName())))
        .workerExecutor(hostWorkers)
        .scheduler(hostScheduler)
        .build();
    Account acme = sb.admin().createAccount("Acme");
    Inbox inbox = sb.admin().createInbox(acme.id(),
        InboxDraft.of("API", ChannelType.API, Map.of()));
    receive(sb, inbox, "m-1", "one");
    receive(sb, inbox, "m-2", "two");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(threads).hasSize(2));
    assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("host-worker-"));
    assertThat(hostScheduler.getCompletedTaskCount()).as("polls ran on the host's scheduler")
        .isPositive();

    sb.close();

    assertThat(hostWorkers.isShutdown()).isFalse();
    assertThat(hostScheduler.isShutdown()).isFalse();
    assertThat(hostScheduler.getQueue()).as("nothing of Switchboard's is left scheduled").isEmpty();
    assertThat(hostWorkers.submit(() -> "still running").get(5, TimeUnit.SECONDS))
        .isEqualTo("still running");
  }

  @Test
  void aSnoozeThatEndedWhileNoProcessRanReopensAtTheNextStart() {
    MutableClock clock = new MutableClock();
    Instant until = clock.instant().plus(Duration.ofHours(1));
    long accountId;
    long conversationId;
    try (Switchboard sb = builder("none", onMessages(e -> {})).clock(clock).build()) {
      Account acme = sb.admin().createAccount("Acme");
      Inbox inbox = sb.admin().createInbox(acme.id(), InboxDraft.of("API", ChannelType.API, Map.of()));
      receive(sb, inbox, "m-1", "hello");
      accountId = acme.id();
      conversationId = sb.conversations().list(accountId, ConversationFilter.all(), null, 10)
          .items().get(0).id();
      sb.conversations().changeStatus(accountId, conversationId, ConversationStatus.SNOOZED,
          until, Actor.system());
    }

    clock.advance(Duration.ofHours(3));
    List<Event> seen = new CopyOnWriteArrayList<>();
    try (Switchboard sb = builder("none", onMessages(e -> {})).clock(clock)
        .syncListener(seen::add).build()) {
      // the timer commits, then dispatches the events on its own thread
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(sb.conversations().get(accountId, conversationId).status())
            .isEqualTo(ConversationStatus.OPEN);
        assertThat(seen).extracting(Event::type).contains(EventType.CONVERSATION_OPENED);
      });
    }
  }

  @Test
  void anApiInboxUrlSavedWhilePrivateNetworksWereAllowedIsRefusedAtSendOnceTheyAreNot()
      throws Exception {
    try (MockWebServer receiver = new MockWebServer()) {
      receiver.start();
      long accountId;
      long conversationId;
      try (Switchboard sb = builder("none", onMessages(e -> {}))
          .allowPrivateNetworkWebhooks(true).build()) {
        Account acme = sb.admin().createAccount("Acme");
        Inbox inbox = sb.admin().createInbox(acme.id(), InboxDraft.of("API", ChannelType.API,
            Map.of(ApiChannel.WEBHOOK_URL, receiver.url("/hook").toString(),
                ApiChannel.WEBHOOK_SECRET, "0123456789abcdef-secret")));
        receive(sb, inbox, "m-1", "hello");
        accountId = acme.id();
        conversationId = sb.conversations().list(accountId, ConversationFilter.all(), null, 10)
            .items().get(0).id();
      }

      try (Switchboard sb = builder("none", onMessages(e -> {})).build()) {
        Message reply = sb.messages().reply(accountId, conversationId,
            MessageDraft.text("hi"), Actor.system());

        await().atMost(Duration.ofSeconds(20)).until(() ->
            sb.messages().get(accountId, reply.id()).status() == MessageStatus.FAILED);
        assertThat(sb.messages().get(accountId, reply.id()).externalError())
            .contains("webhook_url").contains("loopback");
        assertThat(sb.deadJobs(10)).as("failed at once, not retried").isEmpty();
      }
      assertThat(receiver.getRequestCount()).isZero();
    }
  }

  @Test
  void closeWaitsForTheJobInFlightAndLeavesQueuedJobsForTheNextStartOnOwnPools()
      throws Exception {
    closeDrainsAndTheNextStartResumes(b -> b.workerThreads(1));
  }

  @Test
  void closeWaitsForTheJobInFlightAndLeavesQueuedJobsForTheNextStartOnTheHostsPools()
      throws Exception {
    closeDrainsAndTheNextStartResumes(b -> b.workerThreads(1)
        .workerExecutor(hostWorkers).scheduler(hostScheduler));
  }

  private void closeDrainsAndTheNextStartResumes(Consumer<Switchboard.Builder> pools)
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch closing = new CountDownLatch(1);
    Thread closer = Thread.currentThread();
    AtomicBoolean finished = new AtomicBoolean();
    List<String> delivered = new CopyOnWriteArrayList<>();
    Switchboard.Builder first = builder("slow", onMessages(e -> {
      if (e.message().content().equals("first")) {
        started.countDown();
        try {
          // in flight until close() is under way, then some more work
          assertThat(closing.await(20, TimeUnit.SECONDS)).isTrue();
          // until close() waits for this job (the closing thread sleeps in its wait), then a
          // little longer
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (closer.getState() != Thread.State.TIMED_WAITING
              && closer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
        finished.set(true);
      }
      delivered.add(e.message().content());
    }));
    pools.accept(first);
    Switchboard sb = first.build();
    Account acme = sb.admin().createAccount("Acme");
    Inbox inbox = sb.admin().createInbox(acme.id(),
        InboxDraft.of("API", ChannelType.API, Map.of()));
    receive(sb, inbox, "m-1", "first");
    assertThat(started.await(20, TimeUnit.SECONDS)).as("the slow delivery started").isTrue();
    // the only worker is busy: this delivery is queued, not started
    receive(sb, inbox, "m-2", "second");

    closing.countDown();
    sb.close();

    assertThat(finished).as("the delivery in flight finished before close() returned").isTrue();
    assertThat(delivered).containsExactly("first");
    try (Store store = openStore()) {
      List<JobRecord> left = store.inTransaction(tx ->
          tx.listDueJobs(Instant.now().plus(Duration.ofDays(1)), 100));
      assertThat(left).filteredOn(j -> "slow".equals(j.target()))
          .as("the queued delivery was never claimed")
          .singleElement().satisfies(j -> assertThat(j.attempts()).isZero());
    }
    assertThat(delivered).as("nothing ran after close()").containsExactly("first");

    Set<String> afterRestart = ConcurrentHashMap.newKeySet();
    try (Switchboard next = builder("slow", onMessages(e -> afterRestart.add(e.message().content())))
        .build()) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(afterRestart).containsExactly("second"));
      assertThat(next.deadJobs(10)).isEmpty();
    }
  }
}
