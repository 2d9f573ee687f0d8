package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.model.Account;
import io.switchboard.model.Role;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A store on a host's data source in a schema of its own, beside a host schema that has a
 * table of the same name as one of the store's ({@code users}).
 */
class HostSchemaTest {
  private final String h2Url = "jdbc:h2:mem:host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Test
  void onH2TheStoreRunsInItsSchemaAndGivesEveryConnectionBackInTheHostsSchema()
      throws Exception {
    createHostUsers(connectH2());
    for (boolean autoCommit : new boolean[] {true, false}) {
      String schema = "switchboard_" + autoCommit;
      assertConnectionsGoBackInTheHostsSchema(returning(this::connectH2, autoCommit), schema,
          "PUBLIC");
      assertStoreAndHostTablesApart(this::connectH2, schema);
    }
  }

  @Test
  void onPostgresTheStoreRunsInItsSchemaAndGivesEveryConnectionBackInTheHostsSchema()
      throws Exception {
    String hostSchema = TestDatabases.newSchema();
    String url = TestDatabases.postgresConfig(hostSchema).getJdbcUrl();
    Connector connect = () -> DriverManager.getConnection(url, TestDatabases.postgresUser(),
        TestDatabases.postgresPassword());
    createHostUsers(connect.get());
    for (boolean autoCommit : new boolean[] {true, false}) {
      String schema = TestDatabases.newSchema();
      assertConnectionsGoBackInTheHostsSchema(returning(connect, autoCommit), schema,
          hostSchema);
      assertStoreAndHostTablesApart(connect, schema);
    }
  }

  @Test
  void aSwitchboardOnAHostPoolRunsInItsOwnSchemaBesideTheHostsUsers() throws Exception {
    HikariConfig h2 = new HikariConfig();
    h2.setJdbcUrl(h2Url);
    h2.setUsername("sa");
    createHostUsers(connectH2());
    String hostSchema = TestDatabases.newSchema();
    HikariConfig postgres = TestDatabases.postgresConfig(hostSchema);
    createHostUsers(DriverManager.getConnection(postgres.getJdbcUrl(),
        TestDatabases.postgresUser(), TestDatabases.postgresPassword()));

    for (HikariConfig config : List.of(h2, postgres)) {
      try (HikariDataSource pool = new HikariDataSource(config);
          Fixture f = new Fixture(JdbiStore.create(pool, TestDatabases.newSchema()))) {
        long accountId = f.account("Acme").id();
        f.sb.admin().createAgent(accountId, "Anna", "anna@acme.test", Role.AGENT, null);
        assertThat(f.firstDisplayId(accountId)).isEqualTo(1);
        assertThat(hostUsers(pool.getConnection())).containsExactly("ada");
      }
    }
  }

  @Test
  void aSchemaThatIsNoPlainLowerCaseIdentifierIsRefused() {
    DataSource unused = returning(this::connectH2, true).dataSource();
    for (String schema : new String[] {"Switchboard", "sb; DROP TABLE users", ""}) {
      assertThatThrownBy(() -> JdbiStore.create(unused, schema))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("lower-case SQL identifier");
    }
  }

  /** Runs transactions that commit, read and roll back on the store in {@code schema}. */
  private static void assertConnectionsGoBackInTheHostsSchema(Returning host, String schema,
      String hostSchema) {
    try (JdbiStore store = JdbiStore.create(host.dataSource(), schema)) {
      Account saved = store.inTransaction(tx -> tx.insertAccount(
          new Account(0, "Acme", "en", Instant.parse("2026-01-01T00:00:00Z"))));
      Optional<Account> read = store.read(tx -> tx.findAccount(saved.id()));
      assertThat(read).contains(saved);
      assertThatThrownBy(() -> store.inTransaction(tx -> {
        tx.insertAccount(new Account(0, "Lost", "en", Instant.parse("2026-01-01T00:00:00Z")));
        throw new IllegalStateException("work failed");
      })).hasMessage("work failed");
    }
    assertThat(host.returnedIn()).as("the schema of each connection given back")
        .isNotEmpty().containsOnly(hostSchema);
  }

  /** The store's accounts are in its schema; the host's users are where they were. */
  private static void assertStoreAndHostTablesApart(Connector connect, String schema)
      throws SQLException {
    try (Connection c = connect.get(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM \"" + schema + "\".accounts")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("Acme");
      assertThat(rs.next()).isFalse();
    }
    assertThat(hostUsers(connect.get())).containsExactly("ada");
  }

  private static void createHostUsers(Connection c) throws SQLException {
    try (c; Statement s = c.createStatement()) {
      s.execute("CREATE TABLE users (login VARCHAR(64) PRIMARY KEY)");
      s.execute("INSERT INTO users (login) VALUES ('ada')");
    }
  }

  private static List<String> hostUsers(Connection c) throws SQLException {
    try (c; Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM users")) {
      List<String> logins = new CopyOnWriteArrayList<>();
      while (rs.next()) {
        logins.add(rs.getString("login"));
      }
      return logins;
    }
  }

  private Connection connectH2() throws SQLException {
    return DriverManager.getConnection(h2Url, "sa", "");
  }

  interface Connector {
    Connection get() throws SQLException;
  }

  /**
   * A data source of new connections, in auto-commit or not, that records the schema of each
   * connection given back, after rolling back what was left open, as a pool does.
   */
  record Returning(DataSource dataSource, List<String> returnedIn) {}

  private static Returning returning(Connector connector, boolean autoCommit) {
    List<String> returnedIn = new CopyOnWriteArrayList<>();
    DataSource dataSource = (DataSource) Proxy.newProxyInstance(
        DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("getConnection")) {
            throw new UnsupportedOperationException(method.getName());
          }
          Connection physical = connector.get();
          physical.setAutoCommit(autoCommit);
          return Proxy.newProxyInstance(Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class}, (p, m, a) -> {
                if (m.getName().equals("close") && !physical.isClosed()) {
                  if (!physical.getAutoCommit()) {
                    physical.rollback();
                  }
                  returnedIn.add(physical.getSchema());
                }
                try {
                  return m.invoke(physical, a);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
        });
    return new Returning(dataSource, returnedIn);
  }
}
