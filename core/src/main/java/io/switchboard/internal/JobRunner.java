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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs durable jobs: a poller finds due jobs, claims each with a lease and hands it to a
 * worker pool. A job whose worker dies (crash, kill) becomes due again when its lease ends.
 * Finished jobs are deleted; failed ones are rescheduled with the retry policy's backoff, and
 * buried once it gives up.
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
  private final Semaphore slots;
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  /** Set when a poll stopped with every worker busy: more work may be due when one frees up. */
  private final AtomicBoolean saturated = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  public JobRunner(Engine engine, Map<String, Jobs.Handler> handlers, RetryPolicy retryPolicy,
      Duration lease, Duration pollInterval, int concurrency) {
    this.engine = engine;
    this.handlers = Map.copyOf(handlers);
    this.retryPolicy = retryPolicy;
    this.lease = lease;
    this.pollInterval = pollInterval;
    this.concurrency = concurrency;
    this.slots = new Semaphore(concurrency);
    this.poller = Executors.newSingleThreadScheduledExecutor(named("switchboard-jobs-poll"));
    this.workers = Executors.newFixedThreadPool(concurrency, named("switchboard-jobs"));
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts polling. */
  public void start() {
    poller.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
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
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("job poll failed: {}", e.toString());
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

  /** Stops polling and waits up to {@code timeout} for running jobs to finish. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    poller.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} jobs still running at close; they run again after their lease",
            concurrency - slots.availablePermits());
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
  }
}
