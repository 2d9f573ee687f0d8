package io.switchboard.jdbi.migration;

import io.switchboard.jdbi.internal.DisplayIds;
import java.sql.Connection;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Two fixes for H2, found by the benchmarks; PostgreSQL is left as it is.
 *
 * <p>H2 plans a statement when a connection first prepares it and keeps the plan for as long
 * as the connection lives. Until its statistics are gathered it takes every column to tell
 * rows apart equally well, so a query on a near-empty table such as {@code account_id = ? AND
 * contact_inbox_id = ?} could be planned on the account's index, and then read every
 * conversation of the account for each incoming message once the table had grown. Every
 * {@code account_id} column is now declared as telling rows apart poorly, which is true of a
 * column most rows share, so the planner prefers the key or the narrower index from the start.
 * H2's own statistics replace the figure when it analyses the table.
 *
 * <p>The display id sequences get a cache, so that a new conversation no longer costs a commit
 * of the sequence's own.
 */
public final class V7__H2_plans_and_sequences extends BaseJavaMigration {
  /** H2's selectivity (1 to 100, the percentage of distinct values) of account columns. */
  static final int ACCOUNT_SELECTIVITY = 1;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    if (OwnTables.postgres(c)) {
      return;
    }
    // a host's own tables in the same schema are left as they are
    OwnTables.alter(c, "column_name = 'ACCOUNT_ID'", "SELECTIVITY " + ACCOUNT_SELECTIVITY);
    DisplayIds.cacheH2Sequences(c);
  }
}
