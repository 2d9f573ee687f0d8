package io.switchboard.jdbi.internal;

import io.switchboard.SwitchboardException;
import io.switchboard.store.StoreConflictException;
import java.sql.SQLException;
import java.util.Set;

/** Tells lost races (unique violations, deadlocks, lock timeouts) from real errors. */
public final class Conflicts {
  /**
   * SQL states of a transaction that lost a race: unique violation, foreign key violation (a
   * concurrent merge), serialization failure, PostgreSQL deadlock and lock-not-available, H2
   * lock timeout, H2 deadlock and concurrent update.
   */
  private static final Set<String> RETRYABLE =
      Set.of("23505", "23503", "40001", "40P01", "55P03", "HYT00", "90131");

  private Conflicts() {}

  public static RuntimeException translate(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && RETRYABLE.contains(sql.getSQLState())) {
        return new StoreConflictException("transaction lost a race (SQL state "
            + sql.getSQLState() + ")", e);
      }
      if (t instanceof SwitchboardException se) {
        return se;
      }
    }
    return e;
  }
}
