package io.switchboard.jdbi;

import io.switchboard.store.Store;
import io.switchboard.store.StoreTx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Wraps a store; while {@link #failInserts} is set, inserting a message fails like an outage.
 * It also counts the transactions that stored raw webhook requests, and can hold each
 * transaction of incoming work at its first sender lookup until {@link #gate} opens; and it can run something
 * once inside the transaction that has just found a contact's latest conversation. It can fail
 * the next call of one {@link StoreTx} method, and hide users' account memberships as if they
 * had been removed from their accounts.
 */
final class FailingStore implements Store {
  final AtomicBoolean failInserts = new AtomicBoolean();
  /**
   * While set, a transaction of incoming work waits for it at its first lookup of a sender
   * (the first store call of a delivery whose inbox the routing already read).
   */
  volatile CountDownLatch gate;
  /** Transactions that looked a sender up, whether or not they committed. */
  final AtomicInteger incomingTransactionsStarted = new AtomicInteger();
  /** Committed transactions that stored at least one raw request. */
  final AtomicInteger rawTransactionsCommitted = new AtomicInteger();
  /** Run once, in the transaction, right after it found a contact's latest conversation. */
  final java.util.concurrent.atomic.AtomicReference<Runnable> afterLatestConversation =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** The name of a {@link StoreTx} method whose next call fails like an outage, once. */
  final java.util.concurrent.atomic.AtomicReference<String> failNextCall =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** Users the store no longer finds as agents of any account. */
  final java.util.Set<Long> removedAgents = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Store delegate;

  FailingStore(Store delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> T inTransaction(Function<StoreTx, T> work) {
    boolean[] storedRaw = new boolean[1];
    boolean[] started = new boolean[1];
    T result = delegate.inTransaction(tx -> work.apply((StoreTx) Proxy.newProxyInstance(
        StoreTx.class.getClassLoader(), new Class<?>[] {StoreTx.class}, (proxy, method, args) -> {
          if (failInserts.get() && (method.getName().equals("insertMessage")
              || method.getName().equals("insertMessageWithActivity"))) {
            throw new IllegalStateException("simulated database outage");
          }
          if (failNextCall.compareAndSet(method.getName(), null)) {
            throw new IllegalStateException("simulated database outage in " + method.getName());
          }
          if (method.getName().equals("findAccountUser") && removedAgents.contains(args[1])) {
            return java.util.Optional.empty();
          }
          if (method.getName().equals("lockContactInboxBySourceId") && !started[0]) {
            started[0] = true;
            incomingTransactionsStarted.incrementAndGet();
            CountDownLatch waitFor = gate;
            if (waitFor != null) {
              waitFor.await();
            }
          }
          if (method.getName().equals("insertRawRequest")
              || method.getName().equals("insertProcessedRawRequests")) {
            storedRaw[0] = true;
          }
          Object returned;
          try {
            returned = method.invoke(tx, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().endsWith("LatestConversation")) {
            Runnable once = afterLatestConversation.getAndSet(null);
            if (once != null) {
              once.run();
            }
          }
          return returned;
        })));
    if (storedRaw[0]) {
      rawTransactionsCommitted.incrementAndGet();
    }
    return result;
  }

  @Override
  public int concurrentWriters() {
    return delegate.concurrentWriters();
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return delegate.translate(e);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
