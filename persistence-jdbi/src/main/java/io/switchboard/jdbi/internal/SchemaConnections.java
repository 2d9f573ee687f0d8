package io.switchboard.jdbi.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Connections of a host's data source, each moved to the store's schema while the store holds
 * it and given back in the schema it had. A connection already in the store's schema is left
 * as it is.
 *
 * <p>On a connection outside auto-commit, each change of schema is committed on its own: on
 * PostgreSQL the change is part of the transaction, and a pool that rolls back a returned
 * connection would otherwise undo the restoring one.
 */
public final class SchemaConnections implements ConnectionFactory {
  private final DataSource dataSource;
  private final String schema;
  /** The schema each connection held by the store had before, for those it moved. */
  private final Map<Connection, String> previous =
      Collections.synchronizedMap(new IdentityHashMap<>());

  public SchemaConnections(DataSource dataSource, String schema) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.schema = Objects.requireNonNull(schema, "schema");
  }

  @Override
  public Connection openConnection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      String current = c.getSchema();
      if (!schema.equals(current)) {
        switchTo(c, schema);
        previous.put(c, current);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public void closeConnection(Connection c) throws SQLException {
    try {
      String before = previous.remove(c);
      if (before != null) {
        switchTo(c, before);
      }
    } finally {
      c.close();
    }
  }

  private static void switchTo(Connection c, String schema) throws SQLException {
    c.setSchema(schema);
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }
}
