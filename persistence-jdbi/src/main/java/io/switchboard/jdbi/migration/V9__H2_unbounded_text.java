package io.switchboard.jdbi.migration;

import java.sql.Connection;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the large text columns of Switchboard's tables (JSON documents, message content,
 * event and job payloads, webhook bodies) hold up to H2's maximum of a billion characters
 * instead of {@value #OLD_LENGTH}; on PostgreSQL they are {@code TEXT} already.
 *
 * <p>A message may carry 150,000 characters of content and as many again in each of several
 * content attributes (an email's text, reply and HTML), and JSON escaping writes a quote as two
 * characters and a control character as six: the event and the job of one such message came to
 * more than a million characters, their insert failed, and the message was never stored. The
 * columns stay {@code CHARACTER VARYING}, kept in their row as before, not moved to H2's LOB
 * storage.
 */
public final class V9__H2_unbounded_text extends BaseJavaMigration {
  /** The length the {@code text} placeholder gave H2 columns before this migration. */
  static final int OLD_LENGTH = 1_000_000;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    if (OwnTables.postgres(c)) {
      return;
    }
    OwnTables.alter(c, "data_type = 'CHARACTER VARYING' AND character_maximum_length = "
        + OLD_LENGTH, "SET DATA TYPE CHARACTER VARYING");
  }
}
