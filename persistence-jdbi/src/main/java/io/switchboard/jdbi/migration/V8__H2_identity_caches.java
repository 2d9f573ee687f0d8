package io.switchboard.jdbi.migration;

import java.sql.Connection;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the identity columns of Switchboard's tables allocate {@value #CACHE} values per
 * write of their sequence's state instead of 32; PostgreSQL is left as it is.
 *
 * <p>When an identity's cache runs out, H2 writes the sequence's new state and commits it at
 * once, and a commit of an H2 file store writes every changed page of the store, the open
 * transactions' included. An incoming message inserts about five rows (its raw request, the
 * message, its events, and at times a contact, a contact inbox, a conversation, an attachment
 * and a job), so with 32 values these commits were about one for every six messages, about as
 * many as the grouped commits of the messages themselves: a profile of the H2 ingest run put
 * 11% of the JVM's CPU in them. A crash loses at most the cached values, a gap in the ids, as
 * a rollback leaves.
 */
public final class V8__H2_identity_caches extends BaseJavaMigration {
  /** How many values an H2 identity column allocates per write of its state. */
  static final int CACHE = 1024;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    if (OwnTables.postgres(c)) {
      return;
    }
    OwnTables.alter(c, "is_identity = 'YES'", "SET CACHE " + CACHE);
  }
}
