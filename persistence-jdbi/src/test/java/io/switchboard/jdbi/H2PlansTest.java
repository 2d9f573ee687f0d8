package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * H2 keeps a statement's plan for as long as the connection lives, so the plan it makes on the
 * empty tables of a new database is the one the pipeline runs with once they have grown. The
 * statements of every incoming message must be planned on the key or the narrow index from the
 * start, never on the account's index (which reads every row of the account).
 */
class H2PlansTest {
  private final String url = "jdbc:h2:mem:plans-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Test
  void statementsOfAnIncomingMessageArePlannedOnTheKeyOnEmptyTables() throws Exception {
    try (JdbiStore store = JdbiStore.pooled(url, "sa", "", null, 2);
        Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(plan(c, "SELECT * FROM conversations WHERE account_id = ? "
          + "AND contact_inbox_id = ? AND status <> 'resolved' ORDER BY id DESC LIMIT 1"))
          .contains("CONTACT_INBOX_ID = ?2").doesNotContain("ACCOUNT_ID = ?1");
      for (String table : new String[] {"conversations", "contacts", "messages",
          "contact_inboxes"}) {
        assertThat(plan(c, "UPDATE " + table + " SET id = id "
            + "WHERE account_id = ? AND id = ?"))
            .as(table).contains("PRIMARY_KEY").contains("ID = ?2");
        assertThat(plan(c, "SELECT * FROM " + table + " WHERE account_id = ? AND id = ?"))
            .as(table).contains("PRIMARY_KEY").contains("ID = ?2");
      }
      // a query the account's index does serve still uses it
      assertThat(plan(c, "SELECT * FROM conversations WHERE account_id = ? AND status = 'open' "
          + "ORDER BY last_activity_at DESC LIMIT 25")).contains("ACCOUNT_ID = ?1");
    }
  }

  @Test
  void theAccountsLatestEventIsReadFromTheEndOfItsIndex() throws Exception {
    try (JdbiStore store = JdbiStore.pooled(url, "sa", "", null, 2);
        Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO events (id, account_id, type, payload, created_at) SELECT 'e', "
          + "MOD(X, 3), 't', '{}', CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 3000)");
      long latest;
      try (ResultSet rs = s.executeQuery("SELECT MAX(sequence) FROM events WHERE account_id = 1")) {
        rs.next();
        latest = rs.getLong(1);
      }
      store.inTransaction(tx -> {
        assertThat(tx.latestEventSequence(1)).isEqualTo(latest);
        assertThat(tx.latestEventSequence(99)).isZero();
        return null;
      });
      // one index entry read, not each of the account's events
      try (ResultSet rs = s.executeQuery("EXPLAIN ANALYZE SELECT sequence FROM events "
          + "WHERE account_id = 1 ORDER BY account_id DESC, sequence DESC LIMIT 1")) {
        rs.next();
        assertThat(rs.getString(1)).contains("IX_EVENTS_ACCOUNT").contains("scanCount: 1 ")
            .contains("index sorted");
      }
    }
  }

  @Test
  void displayIdSequencesMadeBeforeTheCacheGetIt() throws Exception {
    UpgradeContract.flyway(url, "sa", "", null, false).target("6").load().migrate();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO accounts (name, locale, conversation_seq, created_at) VALUES "
          + "('Old', 'en', 0, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
      s.execute("CREATE SEQUENCE conv_dpid_seq_1 START WITH 1 NO CACHE");
      assertThat(cacheOf(c, "CONV_DPID_SEQ_1")).isEqualTo(1);
    }
    try (JdbiStore store = JdbiStore.pooled(url, "sa", "", null, 2);
        Connection c = DriverManager.getConnection(url, "sa", "")) {
      assertThat(cacheOf(c, "CONV_DPID_SEQ_1")).isEqualTo(32);
      try (Fixture f = new Fixture(store)) {
        long fresh = f.account("New").id();
        assertThat(cacheOf(c, "CONV_DPID_SEQ_" + fresh)).isEqualTo(32);
      }
    }
  }

  @Test
  void identityColumnsAllocateAThousandValuesPerWriteOfTheirState() throws Exception {
    try (JdbiStore store = JdbiStore.pooled(url, "sa", "", null, 2);
        Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name, identity_cache FROM "
            + "information_schema.columns WHERE table_schema = CURRENT_SCHEMA "
            + "AND is_identity = 'YES'")) {
      int columns = 0;
      while (rs.next()) {
        assertThat(rs.getLong(2)).as(rs.getString(1)).isEqualTo(1024);
        columns++;
      }
      // every table with an id or a sequence: accounts through webhook attempts
      assertThat(columns).isGreaterThanOrEqualTo(15);
    }
  }

  @Test
  void aHostsOwnTableInTheSameSchemaIsLeftAsItIs() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE host_orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
          + "PRIMARY KEY, account_id BIGINT)");
      try (JdbiStore store = JdbiStore.pooled(url, "sa", "", null, 2);
          ResultSet rs = s.executeQuery("SELECT column_name, identity_cache, selectivity FROM "
              + "information_schema.columns WHERE table_name = 'HOST_ORDERS' ORDER BY 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ACCOUNT_ID");
        assertThat(rs.getInt(3)).isNotEqualTo(1);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("ID");
        assertThat(rs.getLong(2)).isEqualTo(32);
      }
      try (ResultSet rs = s.executeQuery("SELECT identity_cache FROM information_schema.columns "
          + "WHERE table_name = 'MESSAGES' AND column_name = 'ID'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(1024);
      }
    }
  }

  @Test
  void aFileStoreKeepsRawBodiesUpTo64KibInTheirRowAndLargerOnesWhole(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("inplace");
    byte[] small = new byte[1_000];
    byte[] large = new byte[200_000];
    java.util.Arrays.fill(small, (byte) 's');
    java.util.Arrays.fill(large, (byte) 'l');
    try (JdbiStore store = JdbiStore.h2File(file);
        Connection c = DriverManager.getConnection(JdbiStore.h2FileUrl(file));
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT setting_value FROM information_schema.settings "
          + "WHERE setting_name = 'MAX_LENGTH_INPLACE_LOB'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(65536);
      }
      long[] ids = store.inTransaction(tx -> new long[] {
          tx.insertRawRequest("whatsapp", "POST", "/w", "application/json", small,
              java.time.Instant.now()),
          tx.insertRawRequest("email", "POLL", "imap:INBOX", null, large,
              java.time.Instant.now())});
      try (ResultSet rs = s.executeQuery("SELECT body FROM raw_requests WHERE id IN ("
          + ids[0] + ", " + ids[1] + ") ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).isEqualTo(small);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).isEqualTo(large);
      }
    }
  }

  private static String plan(Connection c, String sql) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
        ps.setLong(i, i);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String plan = rs.getString(1);
        // the access path: the comment H2 puts after the table's name
        return plan.substring(plan.indexOf("/*"), plan.indexOf("*/") + 2).replaceAll("\\s+", " ");
      }
    }
  }

  private static long cacheOf(Connection c, String sequence) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT cache FROM "
        + "information_schema.sequences WHERE sequence_name = ?")) {
      ps.setString(1, sequence);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(sequence).isTrue();
        return rs.getLong(1);
      }
    }
  }
}
