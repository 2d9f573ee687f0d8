package io.switchboard.jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Concurrent senders, each posting its deliveries and a twin of each of its neighbour's, so
 * that every delivery is posted twice, from two threads at about the same time.
 */
final class Redeliveries {
  /** Posts delivery {@code n}; returns the answer's status. */
  interface Post {
    int post(int n) throws Exception;
  }

  private Redeliveries() {}

  /**
   * Runs {@code senders} threads (named {@code sender-<id>}), all started together; sender
   * {@code s} posts deliveries {@code s * each} to {@code s * each + each - 1}, each followed
   * by the same-numbered delivery of sender {@code s + 1} (wrapping round).
   *
   * @return every answer's status, sender by sender
   */
  static List<Integer> postEachTwice(int senders, int each, Post post) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(senders, r -> {
      Thread t = new Thread(r);
      t.setName("sender-" + t.getId());
      return t;
    });
    try {
      List<Future<List<Integer>>> answers = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        answers.add(pool.submit(() -> {
          start.await();
          List<Integer> statuses = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            statuses.add(post.post(sender * each + i));
            statuses.add(post.post(((sender + 1) % senders) * each + i));
          }
          return statuses;
        }));
      }
      start.countDown();
      List<Integer> all = new ArrayList<>();
      for (Future<List<Integer>> answer : answers) {
        all.addAll(answer.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
