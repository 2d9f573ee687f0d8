package io.switchboard.jdbi;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.api.configuration.FluentConfiguration;

class UpgradeH2Test extends UpgradeContract {
  private final String url = "jdbc:h2:mem:upgrade-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Override
  FluentConfiguration flyway() {
    return flyway(url, "sa", "", null, false);
  }

  @Override
  JdbiStore open() {
    return JdbiStore.pooled(url, "sa", "", null, 4);
  }

  @Override
  Connection connect() throws Exception {
    return DriverManager.getConnection(url, "sa", "");
  }

  @Override
  HikariConfig hostPool() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("sa");
    return config;
  }
}
