package io.switchboard.internal;

import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundEdit;
import io.switchboard.channel.InboundEvent;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.model.Inbox;
import io.switchboard.store.JobRecord;
import io.switchboard.store.RoutedInbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes stored webhook inputs behind their acknowledgement, in bulk (see
 * {@code WebhookAcknowledgement.AFTER_STORING}).
 *
 * <p>An input is queued once its raw request and its inbound job have committed, with the job
 * leased to this process. Each of a few lanes (one per concurrent writer the store allows) is
 * one thread that takes what is queued, up to {@link #MAX_BATCH} inputs, and processes them in
 * shared transactions ({@link Engine#writeTogether}), with what their messages will look up read
 * ahead for the whole batch ({@link BatchReads}); each input's raw request is marked
 * processed and its job deleted in the transaction that processed it. A sender's inputs always
 * go to the same lane, so they are processed in the order they were queued. An input that
 * fails is left out of the commit and run through its job at once ({@link JobRunner#run}),
 * event by event, with the job's retries after that. An input still queued when the process
 * dies is processed by the job workers once its lease ends.
 */
public final class DeferredIngest implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredIngest.class);
  /** The most inputs a lane processes in one shared transaction. */
  static final int MAX_BATCH = 128;
  /** The inputs a lane holds before a caller has to wait for room. */
  private static final int CAPACITY = 8 * MAX_BATCH;
  /** How long a caller waits for room in a full lane before it processes its input itself. */
  private static final long OFFER_MILLIS = 1000;

  private final Engine engine;
  private final IncomingPipeline pipeline;
  private final JobRunner jobs;
  private final List<BlockingQueue<Input>> queues = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;
  private volatile boolean abandoned;

  /**
   * A stored input: its job (leased to this process), its raw request, its verified events,
   * and what the webhook's routing read (see {@link WriteTx#knownRoute}).
   */
  public record Input(JobRecord job, long rawRequestId, List<RoutedEvent> events,
      List<RoutedInbox> routes, List<Inbox> cachedInboxes) {
    public Input {
      Objects.requireNonNull(job, "job");
      events = List.copyOf(events);
      routes = List.copyOf(routes);
      cachedInboxes = List.copyOf(cachedInboxes);
    }
  }

  /** Starts {@code lanes} lane threads. */
  public DeferredIngest(Engine engine, IncomingPipeline pipeline, JobRunner jobs, int lanes) {
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes must be at least 1");
    }
    this.engine = engine;
    this.pipeline = pipeline;
    this.jobs = jobs;
    for (int i = 0; i < lanes; i++) {
      BlockingQueue<Input> queue = new ArrayBlockingQueue<>(CAPACITY);
      queues.add(queue);
      Thread thread = new Thread(() -> drain(queue), "switchboard-ingest-" + (i + 1));
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  /**
   * Queues an input whose raw request and job have committed. Waits up to a second while its
   * lane is full.
   *
   * @return whether it was queued; when not (closing, or the lane stayed full), the caller
   *     processes it itself through its job
   */
  public boolean submit(Input input) {
    if (closed) {
      return false;
    }
    BlockingQueue<Input> queue = queues.get(Math.floorMod(lane(input.events()), queues.size()));
    try {
      return queue.offer(input, OFFER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How many inputs are queued and not yet taken by a lane. */
  public int queued() {
    return queues.stream().mapToInt(BlockingQueue::size).sum();
  }

  /** The lane key of an input: its first event's sender, or the message it is about. */
  static int lane(List<RoutedEvent> events) {
    if (events.isEmpty()) {
      return 0;
    }
    RoutedEvent first = events.get(0);
    InboundEvent event = first.event();
    if (event instanceof InboundMessage m) {
      InboundContact c = m.contact();
      return Arrays.hashCode(new Object[] {first.inboxId(), c.sourceId(), c.identifier(),
          c.email(), c.phoneNumber()});
    } else if (event instanceof InboundStatus s) {
      return Objects.hash(first.inboxId(), s.messageSourceId());
    } else if (event instanceof InboundEdit e) {
      return Objects.hash(first.inboxId(), e.messageSourceId());
    }
    return Long.hashCode(first.inboxId());
  }

  private void drain(BlockingQueue<Input> queue) {
    List<Input> batch = new ArrayList<>(MAX_BATCH);
    while (!abandoned) {
      Input first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // what is still queued is stored: the job workers take it after its lease
        return;
      }
      if (first == null) {
        if (closed) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        process(batch);
      } catch (RuntimeException e) {
        // process never throws; should it, the jobs run again after their lease
        LOG.warn("ingest lane failed on {} inputs: {}", batch.size(), e.toString());
      }
      batch.clear();
    }
  }

  private void process(List<Input> batch) {
    List<Consumer<WriteTx>> works = new ArrayList<>(batch.size());
    for (Input input : batch) {
      works.add(tx -> {
        input.routes().forEach(tx::knownRoute);
        input.cachedInboxes().forEach(tx::knownInbox);
        for (RoutedEvent routed : input.events()) {
          pipeline.applyIn(tx, routed.accountId(), routed.inboxId(), routed.event(), false);
        }
        tx.finishInbound(input.rawRequestId(), input.job().id());
      });
    }
    List<RoutedEvent> all = new ArrayList<>();
    batch.forEach(input -> all.addAll(input.events()));
    List<RuntimeException> failures;
    try {
      // the senders' rows read ahead in a few statements (see BatchReads), in every attempt
      failures = engine.writeTogether(works, tx -> tx.readAhead(all));
    } catch (RuntimeException e) {
      failures = java.util.Collections.nCopies(batch.size(), e);
    }
    for (int i = 0; i < batch.size(); i++) {
      RuntimeException failure = failures.get(i);
      if (failure != null) {
        Input input = batch.get(i);
        LOG.debug("stored input {} not processed in bulk ({}); running its job",
            input.rawRequestId(), failure.getClass().getSimpleName());
        jobs.run(input.job());
      }
    }
  }

  /**
   * Stops taking inputs and waits up to {@code timeout} for the lanes to process what is
   * queued. Inputs still queued then are left to the job workers (after their lease; they are
   * stored).
   */
  public void close(Duration timeout) {
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (threads.stream().anyMatch(Thread::isAlive)) {
      abandoned = true;
      LOG.warn("{} stored inputs still queued at close; the job workers process them after "
          + "their lease", queued());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
