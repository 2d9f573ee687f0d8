package io.switchboard.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.SwitchboardException;
import io.switchboard.jdbi.internal.Conflicts;
import io.switchboard.jdbi.internal.DisplayIds;
import io.switchboard.jdbi.internal.JdbiStoreTx;
import io.switchboard.jdbi.internal.SchemaConnections;
import io.switchboard.store.Store;
import io.switchboard.store.StoreTx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Switchboard's store on JDBI. Thread-safe. The schema is migrated with Flyway when the store
 * is created.
 *
 * <pre>{@code
 * Store embedded = JdbiStore.h2File(Path.of("data/switchboard"));
 * Store shared = JdbiStore.postgres("jdbc:postgresql://db:5432/app", "app", password);
 * Store hosts = JdbiStore.create(hostDataSource); // the host's pool; not closed by Switchboard
 * Store apart = JdbiStore.create(hostDataSource, "switchboard"); // in a schema of its own
 * }</pre>
 */
public final class JdbiStore implements Store {
  private final Jdbi jdbi;
  private final HikariDataSource ownedPool;
  private final Dialect dialect;
  /**
   * Whether the data source's connections start in READ COMMITTED, the level every transaction
   * runs at. Then a transaction does not ask for the level: the PostgreSQL driver would answer
   * that with a round trip to the server each time.
   */
  private final boolean readCommitted;
  /**
   * Whether the connections start in auto-commit (HikariCP's default). Then {@link #read}
   * needs no transaction; otherwise the store commits and rolls back each transaction itself.
   */
  private final boolean autoCommit;

  /** The database a store runs on. */
  public enum Dialect {
    H2,
    POSTGRESQL
  }

  /**
   * @param schema the schema to migrate, or null for the connections' own
   * @param connections the connections of the store's work, in that schema
   */
  private JdbiStore(DataSource dataSource, HikariDataSource ownedPool, String schema,
      ConnectionFactory connections) {
    this.ownedPool = ownedPool;
    Probe probe = probe(dataSource);
    this.dialect = probe.dialect();
    this.readCommitted = probe.readCommitted();
    this.autoCommit = probe.autoCommit();
    migrate(dataSource, connections, dialect, schema);
    this.jdbi = Jdbi.create(connections);
  }

  /** A store on a private in-memory H2 database that lives as long as the store. */
  public static JdbiStore h2InMemory() {
    return pooled("jdbc:h2:mem:switchboard-" + UUID.randomUUID()
        + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;MAX_LENGTH_INPLACE_LOB=65536",
        null, null, null, 10);
  }

  /**
   * A store on an H2 database in a file: {@code path} plus H2's {@code .mv.db} suffix. The
   * embedded default for a single-node host.
   *
   * <p>Every commit is written to the file before it returns ({@code WRITE_DELAY=0}, where H2
   * would otherwise wait up to half a second), so that what was acknowledged survives a killed
   * process. Each connection keeps 64 parsed statements ({@code QUERY_CACHE_SIZE=64}, where
   * H2's default of 8 is fewer than one incoming message runs). A raw webhook body of up to
   * 64 KiB is kept in its row ({@code MAX_LENGTH_INPLACE_LOB=65536}, where H2 would put every
   * one over 256 bytes in its separate LOB storage, whose maps each commit then writes too).
   * The file is opened through H2's {@code retry:} file system: a thread interrupted while H2
   * reads or writes it (a host stopping its worker pools, a cancelled request) closes the file
   * channel, which H2's default file system does not reopen, and the file was left damaged
   * (committed rows lost, keys handed out again); with {@code retry:} the channel is reopened
   * and an interrupt costs at most the work in flight. Surviving a power loss as well needs a
   * server database such as PostgreSQL.
   */
  public static JdbiStore h2File(Path path) {
    return pooled(h2FileUrl(path), null, null, null, 10);
  }

  /**
   * The JDBC URL {@link #h2File} opens {@code path} with, settings included: for a connection
   * or pool of your own on the same file in the same JVM (your own tables, H2's console),
   * which must use this URL to share the database; H2 refuses a second database on a file it
   * has open.
   */
  public static String h2FileUrl(Path path) {
    return "jdbc:h2:retry:file:" + path.toAbsolutePath()
        + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=65536";
  }

  /** A store on PostgreSQL with its own connection pool of 10. */
  public static JdbiStore postgres(String jdbcUrl, String user, String password) {
    return pooled(jdbcUrl, user, password, null, 10);
  }

  /**
   * A store with its own pool on any supported JDBC URL.
   *
   * <p>With a {@code schema}, every connection of the pool has it as its current schema, and
   * the migration creates it when it is missing. A role that owns the schema already needs no
   * right to create schemas in the database.
   *
   * @param schema the schema to use (PostgreSQL), created when missing, or null for the
   *     connections' default
   * @param poolSize the pool's maximum size
   */
  public static JdbiStore pooled(String jdbcUrl, String user, String password, String schema,
      int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    if (schema != null) {
      config.setSchema(checkSchema(schema));
    }
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("switchboard");
    config.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      return new JdbiStore(pool, pool, schema, pool::getConnection);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * A store on the host's data source, in the connections' default schema. The host keeps
   * ownership: {@link #close()} leaves it open.
   *
   * <p>Switchboard's tables have plain names ({@code accounts}, {@code users}, {@code
   * messages}, {@code jobs}…): a schema that holds tables of the host's under those names
   * cannot hold the store's. Give the store a schema of its own, with {@link #create(DataSource,
   * String)} or with {@link #pooled} and a schema.
   */
  public static JdbiStore create(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return new JdbiStore(dataSource, null, null, dataSource::getConnection);
  }

  /**
   * A store on the host's data source, in a schema of its own, created when missing. The host
   * keeps ownership: {@link #close()} leaves it open.
   *
   * <p>The store asks each connection it takes for its schema, moves it to {@code schema} when
   * it is elsewhere, and gives it back in the schema it had ({@link Connection#setSchema}); a
   * connection outside auto-commit has each move committed on its own. On PostgreSQL the
   * question and each move cost a round trip to the server: a pool whose connections start in
   * an existing schema of the store's ({@code currentSchema} in the URL) can be given to
   * {@link #create(DataSource)} instead, which asks nothing.
   *
   * @param schema a lower-case SQL identifier
   */
  public static JdbiStore create(DataSource dataSource, String schema) {
    Objects.requireNonNull(dataSource, "dataSource");
    return new JdbiStore(dataSource, null, checkSchema(schema),
        new SchemaConnections(dataSource, schema));
  }

  private static String checkSchema(String schema) {
    if (schema == null || !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema must be a lower-case SQL identifier, found "
          + (schema == null ? "null" : "'" + schema + "'"));
    }
    return schema;
  }

  /** The database this store runs on. */
  public Dialect dialect() {
    return dialect;
  }

  @Override
  public <T> T inTransaction(Function<StoreTx, T> work) {
    HandleCallback<T, RuntimeException> tx = on(work);
    try {
      if (autoCommit) {
        return readCommitted ? jdbi.inTransaction(tx)
            : jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, tx);
      }
      // Jdbi takes a connection outside auto-commit for one in a transaction that someone else
      // ends, and would neither commit nor roll back: the store ends it itself
      return jdbi.withHandle((HandleCallback<T, RuntimeException>) handle -> {
        Connection c = handle.getConnection();
        try {
          if (!readCommitted) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          }
          T result = tx.withHandle(handle);
          c.commit();
          return result;
        } catch (SQLException e) {
          rollBack(c, e);
          throw new ConnectionException(e);
        } catch (RuntimeException | Error e) {
          rollBack(c, e);
          throw e;
        }
      });
    } catch (JdbiException e) {
      throw Conflicts.translate(e);
    }
  }

  private static void rollBack(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** {@code work} on a handle of this store's dialect. */
  private <T> HandleCallback<T, RuntimeException> on(Function<StoreTx, T> work) {
    boolean postgres = dialect == Dialect.POSTGRESQL;
    return handle -> work.apply(new JdbiStoreTx(handle, postgres));
  }

  /**
   * Runs {@code work} on a connection in auto-commit when the pool's connections start that
   * way (HikariCP's default): no BEGIN, no COMMIT; otherwise in a transaction.
   */
  @Override
  public <T> T read(Function<StoreTx, T> work) {
    if (!autoCommit) {
      return inTransaction(work);
    }
    try {
      return jdbi.withHandle(on(work));
    } catch (JdbiException e) {
      throw Conflicts.translate(e);
    }
  }

  @Override
  public RuntimeException translate(RuntimeException e) {
    return e instanceof JdbiException ? Conflicts.translate(e) : e;
  }

  /**
   * One on H2, whose store writes its commits one at a time (so grouped work waits in larger
   * groups instead of in line for the commit); four on PostgreSQL.
   */
  @Override
  public int concurrentWriters() {
    return dialect == Dialect.POSTGRESQL ? 4 : 1;
  }

  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  private record Probe(Dialect dialect, boolean readCommitted, boolean autoCommit) {}

  private static Probe probe(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      Dialect dialect = product.contains("postgres") ? Dialect.POSTGRESQL
          : product.contains("h2") ? Dialect.H2 : null;
      if (dialect != null) {
        return new Probe(dialect,
            c.getTransactionIsolation() == Connection.TRANSACTION_READ_COMMITTED,
            c.getAutoCommit());
      }
      throw new SwitchboardException("unsupported database '" + product
          + "'; supported: H2, PostgreSQL");
    } catch (SQLException e) {
      throw new SwitchboardException("cannot connect to the database: " + e.getMessage(), e);
    }
  }

  private static void migrate(DataSource dataSource, ConnectionFactory connections,
      Dialect dialect, String schema) {
    Map<String, String> types = dialect == Dialect.POSTGRESQL
        ? Map.of("text", "TEXT", "bytes", "BYTEA")
        : Map.of("text", "CHARACTER VARYING", "bytes", "BLOB");
    var config = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:io/switchboard/jdbi/migration")
        .table("switchboard_schema_history")
        .placeholders(types)
        .baselineOnMigrate(true)
        .baselineVersion("0");
    if (schema != null) {
      config.schemas(schema);
    }
    config.load().migrate();
    // accounts that came in some other way (a restore, an import) get their sequence here, in
    // auto-commit: a host's pool outside auto-commit would roll the sequences back
    try {
      Connection c = connections.openConnection();
      try {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try {
          DisplayIds.ensureAll(c, dialect == Dialect.POSTGRESQL);
        } finally {
          c.setAutoCommit(autoCommit);
        }
      } finally {
        connections.closeConnection(c);
      }
    } catch (SQLException e) {
      throw new SwitchboardException("cannot create the display id sequences: "
          + e.getMessage(), e);
    }
  }
}
