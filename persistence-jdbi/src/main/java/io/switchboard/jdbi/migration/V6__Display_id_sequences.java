package io.switchboard.jdbi.migration;

import io.switchboard.jdbi.internal.DisplayIds;
import java.sql.Connection;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Gives every existing account its own sequence of conversation display ids, continuing from
 * the account's counter. New accounts get theirs when they are created.
 */
public final class V6__Display_id_sequences extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    DisplayIds.ensureAll(c, c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
        .contains("postgres"));
  }
}
