package io.switchboard.internal;

import io.switchboard.event.Dispatcher;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.ChannelType;
import io.switchboard.store.RoutedInbox;
import java.util.Optional;
import io.switchboard.store.Store;
import io.switchboard.store.StoreConflictException;
import io.switchboard.store.StoreTx;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the services' transactions: retries a transaction that lost a race, then, once it has
 * committed, hands its events to the sync dispatcher and wakes the job workers.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final int MAX_ATTEMPTS = 12;
  /** The most work one transaction of grouped work may take. */
  private static final int GROUP_BATCH = 64;

  private final Store store;
  private final Clock clock;
  private final Dispatcher dispatcher;
  private final List<AsyncListener> asyncListeners;
  private volatile Runnable onJobsQueued = () -> {};
  private final GroupCommit group;
  private final RouteCache routes = new RouteCache(System::nanoTime);

  public Engine(Store store, Clock clock, Dispatcher dispatcher, List<AsyncListener> asyncListeners) {
    this.store = store;
    this.clock = clock;
    this.dispatcher = dispatcher;
    this.asyncListeners = List.copyOf(asyncListeners);
    this.group = new GroupCommit(this, Math.max(1, store.concurrentWriters()), GROUP_BATCH);
  }

  public void onJobsQueued(Runnable hook) {
    onJobsQueued = hook;
  }

  /** Now, truncated to milliseconds so that every database keeps it exactly. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  public Clock clock() {
    return clock;
  }

  public Store store() {
    return store;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Runs {@code work} in a write transaction, retrying it when it loses a race. */
  public <T> T write(Function<WriteTx, T> work) {
    for (int attempt = 1; ; attempt++) {
      WriteTx[] current = new WriteTx[1];
      try {
        T result = store.inTransaction(tx -> {
          current[0] = new WriteTx(tx, now(), asyncListeners);
          T value = work.apply(current[0]);
          current[0].flush();
          return value;
        });
        afterCommit(current[0]);
        return result;
      } catch (StoreConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        LOG.debug("transaction lost a race (attempt {}), retrying: {}", attempt, e.getMessage());
        pause(attempt);
      }
    }
  }

  /**
   * Runs {@code work} in a write transaction that it may share with the work of concurrent
   * callers (group commit), and returns once that transaction has committed. The events
   * {@code work} emits are dispatched on this thread, as with {@link #write}. When
   * {@code work} throws, nothing of it is kept and its exception is thrown here, while the
   * others' work commits without it. When the shared transaction keeps losing races or cannot
   * commit, nothing of any work in it is kept and every caller gets that exception, to take a
   * path of its own. {@code work} may run more than once, each time in a new transaction, so it
   * must only write through the transaction it is given.
   */
  public void writeGrouped(java.util.function.Consumer<WriteTx> work) {
    group.run(work);
  }

  /**
   * Runs each piece of {@code works} on this thread, in transactions they share, as
   * {@link #writeGrouped} runs concurrent callers' work, and dispatches the events of each piece
   * that committed, in order. A piece that throws is left out of the commit; the others commit
   * without it. {@code first}, when not null, runs at the start of each transaction, before the
   * pieces; what it throws fails every piece.
   *
   * @return for each piece, null when it committed, or why it did not
   */
  public List<RuntimeException> writeTogether(List<java.util.function.Consumer<WriteTx>> works,
      java.util.function.Consumer<WriteTx> first) {
    return group.runHere(works, first);
  }

  List<AsyncListener> asyncListeners() {
    return asyncListeners;
  }

  /** Runs reads that need no transaction of their own (see {@link Store#read}). */
  public <T> T read(Function<StoreTx, T> work) {
    return store.read(work);
  }

  /** Runs a plain transaction that emits no events, retrying it when it loses a race. */
  public <T> T tx(Function<StoreTx, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return store.inTransaction(work);
      } catch (StoreConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private void afterCommit(WriteTx tx) {
    afterCommit(tx.events(), tx.jobsQueued());
  }

  /** The inbox a webhook's routing key found within the last second, if it is still kept. */
  public Optional<RoutedInbox> cachedRoute(ChannelType type, String routingKey) {
    return routes.get(type, routingKey);
  }

  /** Reads the inbox a webhook's routing key finds, and keeps it for a second; a miss is not kept. */
  public Optional<RoutedInbox> readRoute(ChannelType type, String routingKey) {
    long generation = routes.generation();
    Optional<RoutedInbox> found = read(tx -> tx.findRoutedInbox(type, routingKey));
    found.ifPresent(r -> routes.put(type, routingKey, r, generation));
    return found;
  }

  /** Hands committed events to the sync dispatcher and wakes the job workers when asked. */
  void afterCommit(List<Event> events, boolean jobsQueued) {
    for (Event e : events) {
      if (e.type() == EventType.INBOX_CREATED || e.type() == EventType.INBOX_UPDATED) {
        // before anyone hears of the change: a route kept from before it is not used again
        routes.clear();
        break;
      }
    }
    if (!events.isEmpty()) {
      try {
        dispatcher.dispatch(events);
      } catch (RuntimeException e) {
        LOG.warn("dispatcher failed after commit: {}", e.toString());
      }
    }
    if (jobsQueued) {
      onJobsQueued.run();
    }
  }

  /** How long to wait before attempt {@code attempt + 1} of a transaction that lost a race. */
  static long backoffMillis(int attempt) {
    return ThreadLocalRandom.current().nextInt(1, 5 * Math.min(attempt, 8) + 2);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(backoffMillis(attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreConflictException("interrupted while retrying a transaction", e);
    }
  }
}
