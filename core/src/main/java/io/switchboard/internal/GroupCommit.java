package io.switchboard.internal;

import io.switchboard.event.Event;
import io.switchboard.store.StoreConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the work of concurrent callers runs in shared transactions, so that a burst of
 * webhook deliveries costs a few commits instead of one each.
 *
 * <p>A caller queues its work and either waits or, when one of the {@code leaders} slots is
 * free, becomes a leader: it takes up to {@code maxBatch} queued pieces of work, its own and
 * others', and runs them one after the other in one transaction. Work queued while they run
 * joins the same transaction, up to {@code maxBatch}, instead of waiting for its commit to
 * start a transaction of its own; the first pieces' commit then waits for the work that
 * joined (a trade of their latency for fewer commits). Each piece runs at its own time (see
 * {@link WriteTx#advanceTo}). Late work joins only while the batch has neither failed nor
 * lost a race, so a batch runs again at most once per piece it drops. When a piece throws, the
 * leader drops that piece (its caller gets the exception) and runs the rest again in a new
 * transaction; a lost race runs the whole batch again, a few times. The events and raw inputs
 * of every piece are written together at the end (a statement batch each), so a failure to
 * write them, like whatever else goes wrong, fails every piece of the batch, so that no caller
 * waits for ever (a webhook's caller then takes its durable job path). After the commit every
 * caller dispatches the events of its own work on its own thread, as with {@link Engine#write}.
 */
final class GroupCommit {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_ATTEMPTS = 5;
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final Engine engine;
  private final int maxBatch;
  private final Semaphore leaders;
  private final ConcurrentLinkedQueue<Unit> queue = new ConcurrentLinkedQueue<>();

  GroupCommit(Engine engine, int leaders, int maxBatch) {
    if (leaders < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("leaders and maxBatch must be at least 1");
    }
    this.engine = engine;
    this.maxBatch = maxBatch;
    this.leaders = new Semaphore(leaders);
  }

  /** Runs {@code work} in a shared transaction; returns once it has committed. */
  void run(Consumer<WriteTx> work) {
    Unit unit = new Unit(work, Thread.currentThread());
    queue.add(unit);
    boolean interrupted = false;
    while (unit.state < Unit.DONE) {
      // a caller whose work a leader has taken only waits: leading an empty queue would spin
      if (unit.state == Unit.PENDING && leaders.tryAcquire()) {
        try {
          lead();
        } finally {
          leaders.release();
          wakeNext();
        }
      } else {
        LockSupport.parkNanos(this, RECHECK_NANOS);
        // a pending interrupt would make every park return at once: keep it for later
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (unit.state == Unit.FAILED) {
      throw unit.error;
    }
    engine.afterCommit(unit.events, false);
  }

  private void lead() {
    List<Unit> batch = new ArrayList<>();
    for (Unit next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
      next.state = Unit.CLAIMED;
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    runGuarded(batch, true, null);
  }

  /**
   * Runs every piece of {@code works} on this thread, in shared transactions as a leader runs a
   * batch, without taking queued work: how stored webhook deliveries are processed in bulk
   * behind their acknowledgement. The events of each piece that committed are dispatched here,
   * in order, once its transaction has committed. {@code first}, when not null, runs at the
   * start of each transaction, before the work (reads made ahead for it).
   *
   * @return for each piece, null when it committed, or why it did not (the piece threw, or the
   *     shared transaction kept losing races or could not commit)
   */
  List<RuntimeException> runHere(List<Consumer<WriteTx>> works, Consumer<WriteTx> first) {
    List<Unit> units = new ArrayList<>(works.size());
    for (Consumer<WriteTx> work : works) {
      Unit unit = new Unit(work, Thread.currentThread());
      unit.state = Unit.CLAIMED;
      units.add(unit);
    }
    runGuarded(new ArrayList<>(units), false, first);
    List<RuntimeException> failures = new ArrayList<>(units.size());
    for (Unit unit : units) {
      if (unit.state == Unit.DONE) {
        engine.afterCommit(unit.events, false);
        failures.add(null);
      } else {
        failures.add(unit.error);
      }
    }
    return failures;
  }

  private void runGuarded(List<Unit> batch, boolean joinQueued, Consumer<WriteTx> first) {
    try {
      runBatch(batch, joinQueued, first);
    } catch (Throwable t) {
      // nothing below should throw; if it does, no caller may be left waiting
      failAll(batch, t instanceof RuntimeException r ? r
          : new IllegalStateException("grouped transaction failed: " + t, t));
      if (t instanceof Error e) {
        throw e;
      }
    }
  }

  private void runBatch(List<Unit> batch, boolean joinQueued, Consumer<WriteTx> first) {
    int attempt = 0;
    // late work joins only a batch that has neither failed nor lost a race
    boolean[] open = {joinQueued};
    while (!batch.isEmpty()) {
      try {
        WriteTx done = engine.store().inTransaction(tx -> {
          WriteTx shared = new WriteTx(tx, engine.now(), engine.asyncListeners());
          if (first != null) {
            first.accept(shared);
          }
          // the work queued before this transaction began; the rest joined while it ran
          int queuedBefore = batch.size();
          for (int i = 0; i < batch.size(); i++) {
            Unit unit = batch.get(i);
            if (i > 0) {
              shared.advanceTo(engine.now(), i >= queuedBefore);
            }
            int from = shared.emitted();
            try {
              unit.work.accept(shared);
            } catch (RuntimeException e) {
              RuntimeException meaning = engine.store().translate(e);
              if (meaning instanceof StoreConflictException conflict) {
                throw conflict;
              }
              throw new UnitFailed(unit, meaning);
            }
            unit.eventsFrom = from;
            unit.eventsTo = shared.emitted();
            if (open[0] && i == batch.size() - 1) {
              joinLate(batch);
            }
          }
          // every unit's events in one batch; the store translates a lost race escaping here
          shared.flush();
          return shared;
        });
        for (Unit unit : batch) {
          unit.events = List.copyOf(done.events().subList(unit.eventsFrom, unit.eventsTo));
          unit.complete(Unit.DONE, null);
        }
        if (done.jobsQueued()) {
          engine.afterCommit(List.of(), true);
        }
        return;
      } catch (UnitFailed failed) {
        open[0] = false;
        batch.remove(failed.unit);
        failed.unit.complete(Unit.FAILED, failed.cause);
      } catch (StoreConflictException e) {
        open[0] = false;
        if (++attempt >= MAX_ATTEMPTS) {
          // each caller takes its own path from here (see IncomingService)
          failAll(batch, e);
          return;
        }
        LOG.debug("batch of {} lost a race (attempt {}), retrying", batch.size(), attempt);
        // parked, not slept: an interrupt must not cost the batch its callers' work
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Engine.backoffMillis(attempt)));
      }
    }
  }

  /**
   * Takes one more piece of work that was queued while the batch ran, if the batch has room:
   * it then commits with the batch instead of waiting for the commit and starting another.
   */
  private void joinLate(List<Unit> batch) {
    if (batch.size() < maxBatch) {
      Unit next = queue.poll();
      if (next != null) {
        next.state = Unit.CLAIMED;
        batch.add(next);
      }
    }
  }

  private static void failAll(List<Unit> batch, RuntimeException e) {
    for (Unit unit : batch) {
      if (unit.state < Unit.DONE) {
        unit.complete(Unit.FAILED, e);
      }
    }
  }

  /** Wakes the caller of the oldest waiting work, so that it leads the next batch at once. */
  private void wakeNext() {
    Unit head = queue.peek();
    if (head != null) {
      LockSupport.unpark(head.owner);
    }
  }

  private static final class Unit {
    static final int PENDING = 0;
    static final int CLAIMED = 1;
    static final int DONE = 2;
    static final int FAILED = 3;

    final Consumer<WriteTx> work;
    final Thread owner;
    volatile int state = PENDING;
    RuntimeException error;
    List<Event> events = List.of();
    int eventsFrom;
    int eventsTo;

    Unit(Consumer<WriteTx> work, Thread owner) {
      this.work = work;
      this.owner = owner;
    }

    void complete(int outcome, RuntimeException failure) {
      error = failure;
      state = outcome;
      LockSupport.unpark(owner);
    }
  }

  private static final class UnitFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Unit unit;
    final transient RuntimeException cause;

    UnitFailed(Unit unit, RuntimeException cause) {
      super(null, cause, false, false);
      this.unit = unit;
      this.cause = cause;
    }
  }
}
