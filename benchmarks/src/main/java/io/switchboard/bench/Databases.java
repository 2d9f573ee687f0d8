package io.switchboard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.jdbi.JdbiStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The databases a run uses: an H2 file (the quickstart host's default) and PostgreSQL on
 * 127.0.0.1:5432 (or {@code SWITCHBOARD_PG_URL}, {@code _USER}, {@code _PASSWORD}, as for the
 * tests) in a fresh schema. The pipeline's store and the raw JDBC baseline share one
 * connection pool of the same size as the store's default.
 */
final class Databases {
  static final int POOL_SIZE = 10;
  static final String PG_URL = env("SWITCHBOARD_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String PG_USER = env("SWITCHBOARD_PG_USER", "postgres");
  static final String PG_PASSWORD = env("SWITCHBOARD_PG_PASSWORD", "");

  private Databases() {}

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * One database for one run: a pool, and the store on it. Closing drops what it made; so does
   * the JVM's exit when the run is stopped before (Ctrl-C), so that a stopped run leaves no
   * schema or file behind.
   */
  static final class Db implements AutoCloseable {
    final String name;
    final HikariDataSource pool;
    final JdbiStore store;
    private final Runnable cleanup;
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();
    /** Registered as a shutdown hook until {@link #close}: releases what the run made. */
    final Thread onExit;

    /** Counts the pipeline's statements when the run asks for {@code sqlstats}. */
    final SqlCounter sql = new SqlCounter();

    Db(String name, HikariDataSource pool, Runnable cleanup) {
      this.name = name;
      this.pool = pool;
      this.store = JdbiStore.create(Boolean.getBoolean("bench.sqlstats") ? sql.wrap(pool) : pool);
      this.cleanup = cleanup;
      this.onExit = new Thread(this::release, "bench-db-cleanup");
      Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Closes the pool (ending the connections' transactions), then drops what was made; once. */
    private void release() {
      if (released.compareAndSet(false, true)) {
        pool.close();
        cleanup.run();
      }
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook releases
      }
      release();
    }
  }

  /** A new H2 database file below {@code dir}, opened as {@code JdbiStore.h2File} opens one. */
  static Db h2File(Path dir) throws Exception {
    Path base = Files.createTempDirectory(dir, "h2-");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(JdbiStore.h2FileUrl(base.resolve("bench")));
    return new Db("H2 file", pool(config), () -> deleteTree(base));
  }

  /** Whether PostgreSQL answers on the configured URL. */
  static boolean postgresAvailable() {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** A fresh schema on PostgreSQL, dropped on close. */
  static Db postgres() {
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PG_URL);
    config.setUsername(PG_USER);
    config.setPassword(PG_PASSWORD);
    config.setConnectionInitSql("CREATE SCHEMA IF NOT EXISTS " + schema);
    config.setSchema(schema);
    return new Db("PostgreSQL", pool(config), () -> {
      try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
          Statement s = c.createStatement()) {
        // never wait for ever on a lock at exit
        s.execute("SET lock_timeout = '10s'");
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("could not drop schema " + schema + ": " + e.getMessage());
      }
    });
  }

  private static HikariDataSource pool(HikariConfig config) {
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName("bench");
    config.setAutoCommit(true);
    return new HikariDataSource(config);
  }

  static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temporary directory: the system cleans it eventually
    }
  }
}
