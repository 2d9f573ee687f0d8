package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store on PostgreSQL as a role with no more rights than it needs: the owner of an existing
 * schema, without the right to create schemas in the database.
 */
class LeastPrivilegePostgresTest {
  private final String role = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final String password = UUID.randomUUID().toString();
  private final String schema = TestDatabases.newSchema();

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        TestDatabases.postgresPassword());
  }

  @BeforeEach
  void createRoleAndSchema() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
      s.execute("CREATE SCHEMA " + schema + " AUTHORIZATION " + role);
    }
  }

  @AfterEach
  void dropRoleAndSchema() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("DROP OWNED BY " + role);
      s.execute("DROP ROLE " + role);
    }
  }

  @Test
  void theOwnerOfASchemaWithoutTheRightToCreateSchemasRunsAStoreInIt() throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT has_database_privilege('" + role
            + "', current_database(), 'CREATE')")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("the role may create schemas").isFalse();
    }

    try (Fixture f = new Fixture(JdbiStore.pooled(TestDatabases.postgresUrl(), role, password,
        schema, 2))) {
      assertThat(f.firstDisplayId(f.account("Acme").id())).isEqualTo(1);
    }
    try (Connection c = admin(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".messages")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
