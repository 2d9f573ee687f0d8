package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.MessageDraft;
import io.switchboard.channel.InboundStatus;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL plans a prepared statement once for all parameter values (a generic plan) after a
 * few executions, and keeps it on the connection until the table's statistics change. Planned
 * on the empty tables of a new database, or where autovacuum is off, a lookup by key that also
 * names the account can land on an account index and read every row of the account for each
 * message. This test records every statement the store runs for incoming messages, replies and
 * statuses, and checks each one's generic plan on empty, never analysed tables.
 */
class PostgresPlansTest {
  /** An index scan on the account's column alone, filtering on a key afterwards. */
  private static final Pattern ACCOUNT_SCAN = Pattern.compile(
      "Index (?:Only )?Scan using (\\w+) on \\w+.*\\n\\s+Index Cond: \\(\\w*\\.?account_id = "
          + "\\$\\d+\\)\\n\\s+Filter: [^\\n]*= \\$\\d+");

  @Test
  void noStatementOfTheMessageFlowsIsPlannedOnAnAccountIndexOnEmptyTables() throws Exception {
    String schema = TestDatabases.newSchema();
    Set<String> statements = ConcurrentHashMap.newKeySet();
    HikariConfig config = TestDatabases.postgresConfig(schema);
    config.setMaximumPoolSize(4);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (JdbiStore store = JdbiStore.create(RecordingDataSource.wrap(pool, statements, null));
          Fixture f = new Fixture(store)) {
        Account account = f.account("Acme");
        Inbox inbox = f.apiInbox(account.id());
        User anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test",
            Role.AGENT, null);
        Message first = f.incoming(inbox, "alice", "m-1", "hello");
        f.incoming(inbox, "alice", "m-2", "again");
        f.incoming(inbox, "alice", "m-2", "again");
        f.incoming(inbox, "bob", "m-3", "hi");
        f.sb.messages().reply(account.id(), first.conversationId(), MessageDraft.text("hi"),
            Actor.user(anna));
        f.sb.incoming().receiveStatus(account.id(), inbox.id(),
            new InboundStatus("m-1", MessageStatus.READ, null));
        f.sb.conversations().assign(account.id(), first.conversationId(), anna.id(),
            Actor.user(anna));
        // the batch reads of deliveries acknowledged once stored (see BatchReads)
        store.inTransaction(tx -> {
          var senders = tx.lockContactInboxesBySourceIds(account.id(), inbox.id(),
              List.of("alice", "bob")).orElseThrow();
          tx.findMessageSourceIds(account.id(), inbox.id(), List.of("m-1", "m-9"));
          tx.findContacts(account.id(), senders.values().stream()
              .map(io.switchboard.model.ContactInbox::contactId).toList());
          List<Long> ids = senders.values().stream().map(io.switchboard.model.ContactInbox::id)
              .toList();
          tx.lockLatestConversations(account.id(), ids, false);
          tx.lockLatestConversations(account.id(), ids, true);
          return null;
        });
      }
      List<String> wrong = new ArrayList<>();
      try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
        s.execute("SET plan_cache_mode = force_generic_plan");
        for (String table : List.of("contacts", "contact_inboxes", "conversations",
            "messages", "events", "attachments", "message_parts")) {
          try (ResultSet rs = s.executeQuery("SELECT reltuples FROM pg_class WHERE relname = '"
              + table + "' AND relnamespace = '" + schema + "'::regnamespace")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).as(table + " never analysed").isEqualTo(-1);
          }
        }
        int n = 0;
        for (String sql : statements) {
          if (!sql.contains("account_id") || sql.startsWith("INSERT")) {
            continue;
          }
          String plan = genericPlan(s, "p" + n++, sql);
          Matcher m = ACCOUNT_SCAN.matcher(plan);
          if (m.find()) {
            wrong.add(sql + "\n  -> " + m.group(1));
          }
        }
        assertThat(n).as("statements checked").isGreaterThan(20);
      }
      assertThat(wrong).as("statements planned on an account index").isEmpty();
    }
  }

  /** The plan PostgreSQL keeps for the statement once it switches to a generic plan. */
  private static String genericPlan(Statement s, String name, String sql) throws Exception {
    StringBuilder numbered = new StringBuilder();
    int params = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        numbered.append('$').append(++params);
      } else {
        numbered.append(ch);
      }
    }
    s.execute("PREPARE " + name + " AS " + numbered);
    StringBuilder plan = new StringBuilder();
    String nulls = String.join(", ", java.util.Collections.nCopies(params, "NULL"));
    try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE " + name
        + (params == 0 ? "" : "(" + nulls + ")"))) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
