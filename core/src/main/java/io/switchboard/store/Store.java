package io.switchboard.store;

import java.util.function.Function;

/**
 * A transactional store. Implementations must be thread-safe.
 */
public interface Store extends AutoCloseable {

  /**
   * Runs {@code work} in one transaction (read-committed or stronger) and commits it when
   * {@code work} returns, or rolls it back when it throws.
   *
   * @throws StoreConflictException when the transaction lost a race and may be retried
   */
  <T> T inTransaction(Function<StoreTx, T> work);

  /**
   * Runs reads that need no transaction of their own, such as a single lookup: each statement
   * sees what was committed when it ran. A store may run them without a transaction (on
   * PostgreSQL that saves the commit's round trip); {@code work} must not write. The default
   * runs them in a transaction.
   */
  default <T> T read(Function<StoreTx, T> work) {
    return inTransaction(work);
  }

  /**
   * What an exception thrown by a {@link StoreTx} call means: a {@link StoreConflictException}
   * when the transaction lost a race, otherwise the exception itself. {@link #inTransaction}
   * translates what escapes it; this lets code inside a transaction tell a lost race from a
   * real error. The default knows no conflicts.
   */
  default RuntimeException translate(RuntimeException e) {
    return e;
  }

  /**
   * How many shared write transactions (group commit) should run at once. A database that
   * commits one transaction at a time gains nothing from more, and larger groups share each
   * commit among more callers; one with concurrent commits overlaps their round trips. The
   * default is 4.
   */
  default int concurrentWriters() {
    return 4;
  }

  /** Releases the store's resources (its connection pool). */
  @Override
  void close();
}
