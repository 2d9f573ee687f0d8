package io.switchboard.jdbi.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Conversation display ids come from a sequence per account, as in Chatwoot: taking one holds
 * no lock until the end of the transaction, so transactions that open conversations in one
 * account do not wait for each other. A transaction that rolls back leaves a gap.
 */
public final class DisplayIds {
  private DisplayIds() {}

  private static final String PREFIX = "conv_dpid_seq_";
  /** How many display ids H2 allocates per write of a sequence's state. */
  private static final int H2_CACHE = 32;

  static String name(long accountId) {
    return PREFIX + accountId;
  }

  /** The names, in lower case, of the display id sequences in the current schema. */
  private static Set<String> sequenceNames(Connection c) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sequence_name FROM information_schema.sequences "
            + "WHERE sequence_schema = CURRENT_SCHEMA")) {
      while (rs.next()) {
        String name = rs.getString(1).toLowerCase(Locale.ROOT);
        if (name.startsWith(PREFIX)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** The statement that creates the sequence of an account, starting at {@code start}. */
  public static String create(long accountId, long start, boolean postgres) {
    // PostgreSQL caches one value per session by default. H2 writes a sequence's state with a
    // commit of its own whenever its cache runs out: with no cache, every new conversation
    // paid a second commit. A crash loses at most the cached values: a gap, as a rollback.
    return "CREATE SEQUENCE IF NOT EXISTS " + name(accountId) + " START WITH " + start
        + (postgres ? "" : " CACHE " + H2_CACHE);
  }

  /** Gives H2 sequences made without a cache (before migration V7) the cache of new ones. */
  public static void cacheH2Sequences(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String name : sequenceNames(c)) {
        s.execute("ALTER SEQUENCE " + name + " CACHE " + H2_CACHE);
      }
    }
  }

  /** The query that takes the next display id of an account. */
  static String next(long accountId, boolean postgres) {
    return postgres
        ? "SELECT nextval('" + name(accountId) + "')"
        : "SELECT NEXT VALUE FOR " + name(accountId);
  }

  /**
   * Creates the missing sequence of every account, continuing after its highest display id
   * (or its old counter, where that is higher).
   *
   * <p>On a connection in auto-commit, several nodes may run this at the same time: a sequence
   * that another one creates first is left as it is.
   */
  public static void ensureAll(Connection c, boolean postgres) throws SQLException {
    Set<String> existing = sequenceNames(c);
    Map<Long, Long> counters = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, conversation_seq FROM accounts")) {
      while (rs.next()) {
        if (!existing.contains(name(rs.getLong(1)))) {
          counters.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    // only the accounts without a sequence (usually none) have their conversations looked at
    try (PreparedStatement highest = c.prepareStatement(
        "SELECT MAX(display_id) FROM conversations WHERE account_id = ?");
        Statement s = c.createStatement()) {
      for (Map.Entry<Long, Long> account : counters.entrySet()) {
        highest.setLong(1, account.getKey());
        long used = account.getValue();
        try (ResultSet rs = highest.executeQuery()) {
          if (rs.next()) {
            used = Math.max(used, rs.getLong(1));
          }
        }
        try {
          s.execute(create(account.getKey(), used + 1, postgres));
        } catch (SQLException e) {
          // PostgreSQL reports a sequence that another node's CREATE made at the same moment
          // as a duplicate key in its catalog, not as one that exists
          if (!c.getAutoCommit() || !sequenceNames(c).contains(name(account.getKey()))) {
            throw e;
          }
        }
      }
    }
  }

}
