package io.switchboard.jdbi.migration;

import io.switchboard.jdbi.internal.DisplayIds;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
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
    boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
        .contains("postgres");
    Map<Long, Long> next = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, conversation_seq FROM accounts")) {
      while (rs.next()) {
        next.put(rs.getLong(1), rs.getLong(2) + 1);
      }
    }
    try (Statement s = c.createStatement()) {
      for (Map.Entry<Long, Long> account : next.entrySet()) {
        s.execute(DisplayIds.create(account.getKey(), account.getValue(), postgres));
      }
    }
  }
}
