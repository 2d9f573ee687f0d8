package io.switchboard.internal;

import io.switchboard.RetryPolicy;
import io.switchboard.store.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durable jobs: a poller finds due jobs, claims each with a lease and hands it to a
 * worker pool. A job whose worker dies (crash, kill) becomes due again when its lease ends.
 * Finished jobs are deleted; failed ones are rescheduled with the retry policy's backoff, and
 * buried once it gives up. Timers (periodic tasks such as reopening snoozed conversations) run
 * on the poller's scheduler.
 *
 * <p>The worker pool and the scheduler are either the host's (never shut down here) or owned
 * by the runner. Either way, {@link #close()} stops claiming, waits for the running poll or
 * timer and for every job handed to a worker, and only then returns.
 */
public final class JobRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final Engine engine;
  private final Map<String, Jobs.Handler> handlers;
  private final RetryPolicy retryPolicy;
  private final Duration lease;
  private final Duration pollInterval;
  private final int concurrency;
  private final ScheduledExecutorService poller;
  private final ExecutorService workers;
  private final boolean ownsPoller;
  private final boolean ownsWorkers;
  private final Semaphore slots;
  /** Polls and timers hold it shared; close takes it exclusively to wait for them. */
  private final ReadWriteLock activity = new ReentrantReadWriteLock();
  private final List<Timer> timers = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> scheduled = new CopyOnWriteArrayList<>();
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  /** Set when a poll stopped with every worker busy: more work may be due when one frees up. */
  private final AtomicBoolean saturated = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private record Timer(String name, Duration interval, Runnable task) {}

  /** A runner with its own worker pool of {@code concurrency} threads and its own poller. */
  public JobRunner(Engine engine, Map<String, Jobs.Handler> handlers, RetryPolicy retryPolicy,
      Duration lease, Duration pollInterval, int concurrency) {
    this(engine, handlers, retryPolicy, lease, pollInterval, concurrency, null, null);
  }

  /**
   * A runner on the host's pools where given.
   *
   * @param concurrency how many jobs run at once
   * @param workers the host's pool for jobs, or null for an owned pool of {@code concurrency}
   *     threads
   * @param scheduler the host's scheduler for polls and timers, or null for an owned thread
   */
  public JobRunner(Engine engine, Map<String, Jobs.Handler> handlers, RetryPolicy retryPolicy,
      Duration lease, Duration pollInterval, int concurrency, ExecutorService workers,
      ScheduledExecutorService scheduler) {
    this.engine = engine;
    this.handlers = Map.copyOf(handlers);
    this.retryPolicy = retryPolicy;
    this.lease = lease;
    this.pollInterval = pollInterval;
    this.concurrency = concurrency;
    this.slots = new Semaphore(concurrency);
    this.ownsPoller = scheduler == null;
    this.ownsWorkers = workers == null;
    this.poller = scheduler != null ? scheduler
        : Executors.newSingleThreadScheduledExecutor(named("switchboard-jobs-poll"));
    this.workers = workers != null ? workers
        : Executors.newFixedThreadPool(concurrency, named("switchboard-jobs"));
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Registers a task to run every {@code interval} on the scheduler, first right at
   * {@link #start()}. It must not throw for long and must finish quickly; it never runs after
   * {@link #close()} returned. Register before {@link #start()}.
   */
  public void every(String name, Duration interval, Runnable task) {
    timers.add(new Timer(name, interval, task));
  }

  /** Whether {@link #close()} was called: long-running timers stop at the next step. */
  public boolean closing() {
    return closed.get();
  }

  /** Starts polling and the timers. */
  public void start() {
    scheduled.add(poller.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(),
        TimeUnit.MILLISECONDS));
    for (Timer timer : timers) {
      scheduled.add(poller.scheduleWithFixedDelay(() -> runTimer(timer), 0,
          timer.interval().toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private void runTimer(Timer timer) {
    if (!activity.readLock().tryLock()) {
      return; // closing
    }
    try {
      if (!closed.get()) {
        timer.task().run();
      }
    } catch (RuntimeException e) {
      LOG.warn("timer {} failed: {}", timer.name(), e.toString());
    } finally {
      activity.readLock().unlock();
    }
  }

  /** Asks for a poll soon, for example right after a commit queued jobs. */
  public void wake() {
    if (closed.get() || !wakeScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      poller.execute(() -> {
        wakeScheduled.set(false);
        pollSafely();
      });
    } catch (RejectedExecutionException e) {
      wakeScheduled.set(false);
    }
  }

  /** The lease a claim holds a job for. */
  public Duration lease() {
    return lease;
  }

  private void pollSafely() {
    if (!activity.readLock().tryLock()) {
      return; // closing
    }
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("job poll failed: {}", e.toString());
    } finally {
      activity.readLock().unlock();
    }
  }

  private void poll() {
    while (!closed.get()) {
      int free = slots.availablePermits();
      if (free == 0) {
        saturated.set(true);
        return;
      }
      Instant now = engine.now();
      List<JobRecord> due = engine.tx(tx -> tx.listDueJobs(now, free));
      if (due.isEmpty()) {
        return;
      }
      // as many as there are free workers, claimed together: one commit for the batch
      int taken = 0;
      while (taken < due.size() && slots.tryAcquire()) {
        taken++;
      }
      if (taken < due.size()) {
        saturated.set(true);
      }
      if (taken == 0) {
        return;
      }
      List<JobRecord> batch = due.subList(0, taken);
      Instant leaseUntil = engine.now().plus(lease);
      List<JobRecord> claimed;
      try {
        claimed = engine.tx(tx -> {
          List<JobRecord> won = new java.util.ArrayList<>();
          for (JobRecord job : batch) {
            if (tx.claimJob(job.id(), job.runAt(), leaseUntil)) {
              won.add(job);
            }
          }
          return won;
        });
      } catch (RuntimeException e) {
        slots.release(taken);
        throw e;
      }
      slots.release(taken - claimed.size());
      for (int i = 0; i < claimed.size(); i++) {
        JobRecord job = claimed.get(i);
        JobRecord mine = new JobRecord(job.id(), job.kind(), job.target(), job.accountId(),
            job.payload(), job.attempts() + 1, leaseUntil, job.lastError(), false, job.createdAt());
        try {
          workers.execute(() -> {
            try {
              run(mine);
            } finally {
              slots.release();
              if (saturated.compareAndSet(true, false)) {
                // jobs were left waiting for a free worker: look again now, not at the next tick
                wake();
              }
            }
          });
        } catch (RejectedExecutionException e) {
          // closing: this job and the rest of the batch run again after their lease
          slots.release(claimed.size() - i);
          return;
        }
      }
      if (claimed.isEmpty()) {
        return;
      }
    }
  }

  /**
   * Runs a job this process has claimed (or just created with a lease) and records the
   * outcome. Never throws.
   */
  public void run(JobRecord job) {
    Jobs.Handler handler = handlers.get(job.kind());
    Jobs.Outcome outcome;
    if (handler == null) {
      outcome = Jobs.Outcome.retry("no handler for job kind '" + job.kind() + "'", null);
    } else {
      try {
        outcome = handler.run(job);
      } catch (Exception | LinkageError e) {
        outcome = Jobs.Outcome.retry(Jobs.describe(e), null);
      }
    }
    try {
      record(job, handler, outcome);
    } catch (RuntimeException e) {
      LOG.warn("could not record the outcome of job {} ({}); it runs again after its lease: {}",
          job.id(), job.kind(), e.toString());
    }
  }

  private void record(JobRecord job, Jobs.Handler handler, Jobs.Outcome outcome) {
    if (outcome.finished()) {
      if (outcome.deleted()) {
        return;
      }
      engine.tx(tx -> {
        tx.deleteJob(job.id());
        return null;
      });
      return;
    }
    RetryPolicy policy = handler != null && handler.retryPolicy() != null
        ? handler.retryPolicy() : retryPolicy;
    if (!outcome.permanent() && policy.allowsAnother(job.attempts())) {
      Duration delay = outcome.retryAfter() != null ? outcome.retryAfter()
          : policy.delayAfter(job.attempts());
      Instant runAt = engine.now().plus(delay);
      LOG.debug("job {} ({}) attempt {} failed, retrying in {}: {}", job.id(), job.kind(),
          job.attempts(), delay, outcome.error());
      engine.tx(tx -> {
        tx.rescheduleJob(job.id(), runAt, outcome.error());
        return null;
      });
      return;
    }
    LOG.warn("job {} ({}) gave up after {} attempts: {}", job.id(), job.kind(), job.attempts(),
        outcome.error());
    if (handler != null) {
      try {
        handler.gaveUp(job, outcome.error());
      } catch (RuntimeException e) {
        LOG.warn("job {} ({}) give-up handling failed: {}", job.id(), job.kind(), e.toString());
      }
    }
    engine.tx(tx -> {
      tx.buryJob(job.id(), outcome.error());
      return null;
    });
  }

  /** Stops polling and waits up to 10 seconds for running jobs to finish. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Stops claiming jobs, waits for a running poll or timer, then up to {@code timeout} for the
   * jobs already handed to workers. Owned pools are shut down; the host's are left running.
   * Jobs still running at the deadline run again after their lease.
   */
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduled.forEach(f -> f.cancel(false));
    if (ownsPoller) {
      poller.shutdown();
    }
    // no poll or timer is running once this is held, and none starts afterwards
    activity.writeLock().lock();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      boolean drained = slots.tryAcquire(concurrency, timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (!drained) {
        LOG.warn("{} jobs still running at close; they run again after their lease",
            concurrency - slots.availablePermits());
      }
      if (ownsWorkers) {
        workers.shutdown();
        long left = Math.max(0, deadline - System.nanoTime());
        if (!drained || !workers.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          workers.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (ownsWorkers) {
        workers.shutdownNow();
      }
    } finally {
      activity.writeLock().unlock();
    }
  }
}
