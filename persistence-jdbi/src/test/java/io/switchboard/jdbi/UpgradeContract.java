package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.channel.InboundMessage;
import io.switchboard.model.Account;
import io.switchboard.model.Conversation;
import io.switchboard.model.Message;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

/** A database made by an earlier version keeps working after the store migrates it. */
abstract class UpgradeContract {
  /** A Flyway for the database under test, with the store's migrations and settings. */
  abstract FluentConfiguration flyway();

  /** The store on that same database; it migrates the rest of the way. */
  abstract JdbiStore open();

  /**
   * The store's Flyway settings, for {@code dataSource}, with the placeholders of earlier
   * versions: before V9, H2's large text columns held at most a million characters.
   */
  static FluentConfiguration flyway(String url, String user, String password, String schema,
      boolean postgres) {
    FluentConfiguration config = org.flywaydb.core.Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:io/switchboard/jdbi/migration")
        .table("switchboard_schema_history")
        .placeholders(postgres
            ? Map.of("text", "TEXT", "bytes", "BYTEA")
            : Map.of("text", "CHARACTER VARYING(1000000)", "bytes", "BLOB"));
    return schema == null ? config : config.schemas(schema);
  }

  /** A plain connection to that database, in its schema. */
  abstract Connection connect() throws Exception;

  /** A pool configuration for that database, in its schema, as a host would make one. */
  abstract HikariConfig hostPool();

  @Test
  void conversationDisplayIdsContinueFromTheCounterOfAnAccountCreatedBeforeTheirSequences()
      throws Exception {
    flyway().target("3").load().migrate();
    insertAccountWithoutSequence("Old", 41);
    try (Fixture f = new Fixture(open())) {
      long accountId = f.sb.admin().accounts().get(0).id();
      Message first = f.incoming(f.apiInbox(accountId), "c-1", "m-1", "hello");
      Message second = f.incoming(f.apiInbox(accountId), "c-2", "m-2", "hello");
      Conversation a = f.sb.conversations().get(accountId, first.conversationId());
      Conversation b = f.sb.conversations().get(accountId, second.conversationId());
      assertThat(a.displayId()).isEqualTo(42);
      assertThat(b.displayId()).isEqualTo(43);
      // an account created now counts from 1
      assertThat(f.firstDisplayId(f.account("New").id())).isEqualTo(1);
    }
  }

  @Test
  void anAccountWithoutItsSequenceGetsOneWhenTheStoreStarts() throws Exception {
    flyway().load().migrate();
    insertAccountWithoutSequence("Restored", 0);
    try (Fixture f = new Fixture(open())) {
      assertThat(f.firstDisplayId(f.sb.admin().accounts().get(0).id())).isEqualTo(1);
    }
  }

  @Test
  void aDatabaseMadeWithMillionCharacterTextColumnsStoresAMessageWhoseJsonIsLonger()
      throws Exception {
    flyway().target("8").load().migrate();
    try (Fixture f = new Fixture(open())) {
      long accountId = f.account("Acme").id();
      InboundMessage large = Fixture.largeEmail("<large@mail.test>");
      Message stored = f.sb.incoming().receive(accountId, f.apiInbox(accountId).id(), large);

      f.assertStoredWithItsEvent(large, stored);
    }
  }

  @Test
  void onAHostPoolOutsideAutoCommitTheSequenceMadeForAnAccountAtStartIsKept() throws Exception {
    flyway().load().migrate();
    insertAccountWithoutSequence("Restored", 1);
    HikariConfig config = hostPool();
    config.setAutoCommit(false);
    try (HikariDataSource pool = new HikariDataSource(config);
        Fixture f = new Fixture(JdbiStore.create(pool))) {
      assertThat(f.firstDisplayId(f.sb.admin().accounts().get(0).id())).isEqualTo(2);
    }
  }

  @Test
  void storesStartingTogetherEachMakeOrFindTheSequencesOfAccountsWithout() throws Exception {
    flyway().load().migrate();
    for (int i = 1; i <= 40; i++) {
      insertAccountWithoutSequence(Integer.toString(i), i);
    }
    List<JdbiStore> started = IngestContract.concurrently(4, i -> open());
    started.forEach(JdbiStore::close);

    try (Fixture f = new Fixture(open())) {
      for (Account account : f.sb.admin().accounts()) {
        assertThat(f.firstDisplayId(account.id())).as(account.name())
            .isEqualTo(Long.parseLong(account.name()) + 1);
      }
    }
  }

  /**
   * An account restored from elsewhere (or made before V6): its row, with its old counter of
   * conversations, but no sequence.
   */
  private void insertAccountWithoutSequence(String name, long counted) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO accounts (name, locale, conversation_seq, created_at) VALUES ('"
          + name + "', 'en', " + counted + ", TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
    }
  }
}
