package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.model.Account;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How the store uses the pool's connections. Every transaction runs at READ COMMITTED: on a
 * pool whose connections start there, a transaction neither asks for the level nor sets it
 * (asking costs PostgreSQL a round trip); on a pool with another default, each transaction
 * sets it. A read runs without a transaction on a pool in auto-commit, in one otherwise.
 */
class TransactionSetupTest {

  @Test
  void onAReadCommittedPoolATransactionDoesNotAskForTheLevel() {
    assertThat(callsOfOneTransaction(h2("TRANSACTION_READ_COMMITTED")))
        .isNotEmpty()
        .doesNotContain("getTransactionIsolation", "setTransactionIsolation");
    assertThat(callsOfOneTransaction(postgres("TRANSACTION_READ_COMMITTED")))
        .isNotEmpty()
        .doesNotContain("getTransactionIsolation", "setTransactionIsolation");
  }

  @Test
  void onAPoolWithAnotherDefaultEachTransactionSetsReadCommitted() {
    assertThat(callsOfOneTransaction(h2("TRANSACTION_REPEATABLE_READ")))
        .contains("setTransactionIsolation");
    assertThat(callsOfOneTransaction(postgres("TRANSACTION_SERIALIZABLE")))
        .contains("setTransactionIsolation");
  }

  @Test
  void aReadOnAnAutoCommitPoolRunsWithoutATransaction() {
    for (HikariConfig config : List.of(h2("TRANSACTION_READ_COMMITTED"),
        postgres("TRANSACTION_READ_COMMITTED"))) {
      assertThat(callsOfOneRead(config))
          .contains("close")
          .doesNotContain("setAutoCommit", "commit", "rollback");
    }
  }

  @Test
  void aReadOnAPoolWithoutAutoCommitRunsInATransaction() {
    HikariConfig config = postgres("TRANSACTION_READ_COMMITTED");
    config.setAutoCommit(false);
    assertThat(callsOfOneRead(config)).contains("commit");
  }

  @Test
  void onAPoolWithoutAutoCommitATransactionCommitsOrRollsBack() {
    for (HikariConfig config : List.of(h2("TRANSACTION_READ_COMMITTED"),
        postgres("TRANSACTION_READ_COMMITTED"))) {
      config.setAutoCommit(false);
      try (HikariDataSource pool = new HikariDataSource(config);
          JdbiStore store = JdbiStore.create(pool)) {
        Account saved = store.inTransaction(tx -> tx.insertAccount(
            new Account(0, "Acme", "en", Instant.parse("2026-01-01T00:00:00Z"))));
        Optional<Account> inTransaction = store.inTransaction(tx -> tx.findAccount(saved.id()));
        Optional<Account> read = store.read(tx -> tx.findAccount(saved.id()));
        assertThat(inTransaction).contains(saved);
        assertThat(read).contains(saved);

        long[] lost = new long[1];
        assertThatThrownBy(() -> store.inTransaction(tx -> {
          lost[0] = tx.insertAccount(new Account(0, "Lost", "en",
              Instant.parse("2026-01-01T00:00:00Z"))).id();
          throw new IllegalStateException("work failed");
        })).hasMessage("work failed");
        Optional<Account> rolledBack = store.read(tx -> tx.findAccount(lost[0]));
        assertThat(rolledBack).isEmpty();
      }
    }
  }

  private static List<String> callsOfOneTransaction(HikariConfig config) {
    return calls(config, store -> store.inTransaction(tx -> tx.findAccount(1)));
  }

  private static List<String> callsOfOneRead(HikariConfig config) {
    return calls(config, store -> store.read(tx -> tx.findAccount(1)));
  }

  private static List<String> calls(HikariConfig config,
      java.util.function.Consumer<JdbiStore> work) {
    List<String> calls = new CopyOnWriteArrayList<>();
    try (HikariDataSource pool = new HikariDataSource(config);
        JdbiStore store = JdbiStore.create(RecordingDataSource.wrap(pool, null, calls))) {
      calls.clear();
      work.accept(store);
      return List.copyOf(calls);
    }
  }

  private static HikariConfig h2(String isolation) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:isolation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setTransactionIsolation(isolation);
    return config;
  }

  private static HikariConfig postgres(String isolation) {
    HikariConfig config = TestDatabases.postgresConfig(TestDatabases.newSchema());
    config.setTransactionIsolation(isolation);
    return config;
  }
}
