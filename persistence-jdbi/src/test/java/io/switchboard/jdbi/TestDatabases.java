package io.switchboard.jdbi;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Databases for tests. H2 runs in memory. PostgreSQL uses the server named by
 * {@code SWITCHBOARD_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user
 * {@code SWITCHBOARD_PG_USER}, default {@code postgres}); when none answers, an embedded
 * PostgreSQL is started once per JVM. A PostgreSQL test never skips: it runs or fails.
 * Every store gets a fresh schema, so tests never see each other's rows.
 */
public final class TestDatabases {
  private static final String URL = env("SWITCHBOARD_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String USER = env("SWITCHBOARD_PG_USER", "postgres");
  private static final String PASSWORD = env("SWITCHBOARD_PG_PASSWORD", "");
  private static volatile String resolvedUrl;
  private static EmbeddedPostgres embedded;
  private static final List<String> SCHEMAS = new ArrayList<>();

  private TestDatabases() {}

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  public static JdbiStore h2() {
    return JdbiStore.h2InMemory();
  }

  /** A store on PostgreSQL in a new schema. */
  public static JdbiStore postgres() {
    return JdbiStore.pooled(postgresUrl(), postgresUser(), postgresPassword(), newSchema(), 12);
  }

  /**
   * A pool configuration for PostgreSQL in {@code schema}, for tests that build their own pool
   * as a host would. The schema is created first and named in the URL ({@code currentSchema}),
   * so that it is the connections' search path from the start: a schema set by the pool (or an
   * init statement) on a connection outside auto-commit is undone by the first rollback.
   */
  public static com.zaxxer.hikari.HikariConfig postgresConfig(String schema) {
    try (Connection c = DriverManager.getConnection(postgresUrl(), postgresUser(),
        postgresPassword()); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create schema " + schema, e);
    }
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(postgresUrl() + (postgresUrl().contains("?") ? "&" : "?")
        + "currentSchema=" + schema);
    config.setUsername(postgresUser());
    config.setPassword(postgresPassword());
    return config;
  }

  /**
   * A new random schema name. The schemas made for a test JVM are dropped when it exits, so
   * that runs do not pile them up in the shared database.
   */
  public static String newSchema() {
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    synchronized (SCHEMAS) {
      if (SCHEMAS.isEmpty()) {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropSchemas,
            "drop-test-schemas"));
      }
      SCHEMAS.add(schema);
    }
    return schema;
  }

  private static void dropSchemas() {
    List<String> schemas;
    synchronized (SCHEMAS) {
      schemas = List.copyOf(SCHEMAS);
    }
    if (embedded != null || resolvedUrl == null) {
      return; // an embedded server goes away with its data; none was reached otherwise
    }
    try (Connection c = DriverManager.getConnection(resolvedUrl, USER, PASSWORD);
        Statement s = c.createStatement()) {
      // a schema still locked by a connection left open is left behind, not waited for
      s.execute("SET lock_timeout = '2s'");
      for (String schema : schemas) {
        try {
          s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
          System.err.println("test schema " + schema + " not dropped: " + e.getMessage());
        }
      }
    } catch (SQLException e) {
      System.err.println("test schemas not dropped: " + e.getMessage());
    }
  }

  /** The JDBC URL of the PostgreSQL the tests use, starting an embedded one when needed. */
  public static synchronized String postgresUrl() {
    if (resolvedUrl != null) {
      return resolvedUrl;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      resolvedUrl = URL;
    } catch (SQLException serverDown) {
      try {
        embedded = EmbeddedPostgres.builder().start();
        resolvedUrl = embedded.getJdbcUrl("postgres", "postgres");
      } catch (Exception e) {
        IllegalStateException failure = new IllegalStateException("no PostgreSQL at " + URL
            + " and the embedded PostgreSQL could not start", e);
        failure.addSuppressed(serverDown);
        throw failure;
      }
    }
    return resolvedUrl;
  }

  public static String postgresUser() {
    return embedded == null ? USER : "postgres";
  }

  public static String postgresPassword() {
    return embedded == null ? PASSWORD : "";
  }
}
