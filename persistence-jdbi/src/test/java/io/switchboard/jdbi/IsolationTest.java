package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every transaction runs at READ COMMITTED. On a pool whose connections start there, a
 * transaction neither asks for the level nor sets it (asking costs PostgreSQL a round trip);
 * on a pool with another default, each transaction sets it.
 */
class IsolationTest {

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

  private static List<String> callsOfOneTransaction(HikariConfig config) {
    List<String> calls = new CopyOnWriteArrayList<>();
    try (HikariDataSource pool = new HikariDataSource(config);
        JdbiStore store = JdbiStore.create(RecordingDataSource.wrap(pool, null, calls))) {
      calls.clear();
      store.inTransaction(tx -> tx.findAccount(1));
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
