package io.switchboard.jdbi;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import org.flywaydb.core.api.configuration.FluentConfiguration;

class UpgradePostgresTest extends UpgradeContract {
  private final String schema = TestDatabases.newSchema();

  @Override
  FluentConfiguration flyway() {
    return flyway(TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        TestDatabases.postgresPassword(), schema, true);
  }

  @Override
  JdbiStore open() {
    return JdbiStore.pooled(TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        TestDatabases.postgresPassword(), schema, 4);
  }

  @Override
  Connection connect() throws Exception {
    Connection c = DriverManager.getConnection(TestDatabases.postgresUrl(),
        TestDatabases.postgresUser(), TestDatabases.postgresPassword());
    c.setSchema(schema);
    return c;
  }

  @Override
  HikariConfig hostPool() {
    return TestDatabases.postgresConfig(schema);
  }
}
