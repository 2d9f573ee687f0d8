package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A closed loop of sender threads: each takes the next piece of work as soon as it is done. */
final class ClosedLoop {
  /** The work of one thread, run until it runs out. */
  interface Worker {
    void work() throws Exception;
  }

  /** One piece of work, by its index. */
  interface Step {
    void run(int index) throws Exception;
  }

  private ClosedLoop() {}

  /** Runs {@code worker} on {@code threads} threads and waits for all of them. */
  static void run(int threads, Worker worker) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          worker.work();
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Runs {@code step} for every index below {@code count}, on {@code threads} threads. */
  static void forEach(int threads, int count, Step step) throws Exception {
    AtomicInteger next = new AtomicInteger();
    run(threads, () -> {
      int i;
      while ((i = next.getAndIncrement()) < count) {
        step.run(i);
      }
    });
  }
}
