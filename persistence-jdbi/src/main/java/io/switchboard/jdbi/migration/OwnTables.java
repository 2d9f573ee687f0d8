package io.switchboard.jdbi.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The tables of Switchboard's schema, for migrations that go over them by kind. */
final class OwnTables {
  private OwnTables() {}

  /**
   * Every table the migrations create, in upper case as H2 reports them. A migration that
   * changes "every table with such a column" changes only these: a host may keep its own tables
   * in the same schema.
   */
  static final Set<String> NAMES = Set.of(
      "ACCOUNTS", "USERS", "ACCOUNT_USERS", "TEAMS", "TEAM_MEMBERS", "INBOXES", "INBOX_MEMBERS",
      "CONTACTS", "CONTACT_INBOXES", "CONVERSATIONS", "CONVERSATION_LABELS", "MESSAGES",
      "ATTACHMENTS", "EVENTS", "JOBS", "RAW_REQUESTS", "CHANNEL_STATE", "WEBHOOKS", "AGENT_BOTS",
      "WEBHOOK_DELIVERIES", "WEBHOOK_ATTEMPTS", "MESSAGE_PARTS");

  static boolean owns(String table) {
    return NAMES.contains(table.toUpperCase(Locale.ROOT));
  }

  /** Whether the migration runs on PostgreSQL (the H2-only migrations then do nothing). */
  static boolean postgres(Connection c) throws SQLException {
    return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
  }

  /**
   * The columns of Switchboard's tables in the current schema that meet {@code condition} (on
   * {@code information_schema.columns}), each as its table and column name.
   */
  static List<String[]> columns(Connection c, String condition) throws SQLException {
    List<String[]> columns = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM "
            + "information_schema.columns WHERE table_schema = CURRENT_SCHEMA AND " + condition)) {
      while (rs.next()) {
        if (owns(rs.getString(1))) {
          columns.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return columns;
  }

  /**
   * Changes each column of Switchboard's tables in the current schema that meets {@code
   * condition} (as in {@link #columns}) with {@code ALTER TABLE t ALTER COLUMN c} followed by
   * {@code change}.
   */
  static void alter(Connection c, String condition, String change) throws SQLException {
    List<String[]> columns = columns(c, condition);
    try (Statement s = c.createStatement()) {
      for (String[] column : columns) {
        s.execute("ALTER TABLE \"" + column[0] + "\" ALTER COLUMN \"" + column[1] + "\" "
            + change);
      }
    }
  }
}
