package io.switchboard.jdbi;

import io.switchboard.store.Store;
import io.switchboard.store.StoreTx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** Wraps a store; while {@link #failInserts} is set, inserting a message fails like an outage. */
final class FailingStore implements Store {
  final AtomicBoolean failInserts = new AtomicBoolean();
  private final Store delegate;

  FailingStore(Store delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> T inTransaction(Function<StoreTx, T> work) {
    return delegate.inTransaction(tx -> work.apply((StoreTx) Proxy.newProxyInstance(
        StoreTx.class.getClassLoader(), new Class<?>[] {StoreTx.class}, (proxy, method, args) -> {
          if (failInserts.get() && method.getName().equals("insertMessage")) {
            throw new IllegalStateException("simulated database outage");
          }
          try {
            return method.invoke(tx, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        })));
  }

  @Override
  public void close() {
    delegate.close();
  }
}
