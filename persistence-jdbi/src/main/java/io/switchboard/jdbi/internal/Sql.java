package io.switchboard.jdbi.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The store's statements, run on the connection of the transaction's Jdbi handle.
 *
 * <p>Jdbi's statement layer copies its configuration for every statement and finds an argument
 * factory for every bound value; with a dozen short statements per incoming message, that was
 * a third of the JVM's CPU, more than the JDBC driver itself. The store's statements bind only
 * a few plain types, so they bind them directly. SQL keeps Jdbi's {@code :name} parameters,
 * turned into JDBC's {@code ?} once per statement text.
 *
 * <p>A failure is thrown as Jdbi's {@link UnableToExecuteStatementException}, as Jdbi would,
 * with a cause that keeps the driver's SQL state and error code, so that {@link Conflicts}
 * tells lost races as before. Neither the exception nor its cause carries the driver's
 * message, except for errors in a statement's text or of the connection: for the rest, drivers
 * put bound values in it (the key that already exists; the whole row of a failed batch entry),
 * and those may be message bodies or secrets.
 */
final class Sql {
  /**
   * Most statement texts are constants; a few carry values (an account's sequence, a list of
   * ids) and would fill the cache, so a full cache starts again from empty.
   */
  private static final int MAX_CACHED = 512;
  private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

  private Sql() {}

  /** Reads one row. */
  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** A statement text with JDBC placeholders, and the name bound at each. */
  record Parsed(String jdbc, List<String> names) {}

  static Parsed parse(String sql) {
    Parsed known = PARSED.get(sql);
    if (known != null) {
      return known;
    }
    Parsed parsed = parseNow(sql);
    if (PARSED.size() >= MAX_CACHED) {
      PARSED.clear();
    }
    PARSED.putIfAbsent(sql, parsed);
    return parsed;
  }

  /**
   * Replaces each {@code :name} by {@code ?}. Quoted text and identifiers are copied as they
   * are, and so are PostgreSQL's {@code ::} casts. The store's statements have no comments and
   * no {@code ?}: both are refused rather than guessed at.
   */
  static Parsed parseNow(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    List<String> names = new ArrayList<>();
    int n = sql.length();
    for (int i = 0; i < n; ) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated quote in statement: " + sql);
        }
        out.append(sql, i, end + 1);
        i = end + 1;
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
          end++;
        }
        names.add(sql.substring(i + 1, end));
        out.append('?');
        i = end;
      } else if (c == '?') {
        throw new IllegalArgumentException("positional parameter in statement: " + sql);
      } else if ((c == '-' || c == '/') && i + 1 < n
          && sql.charAt(i + 1) == (c == '-' ? '-' : '*')) {
        throw new IllegalArgumentException("comment in statement: " + sql);
      } else {
        out.append(c);
        i++;
      }
    }
    return new Parsed(out.toString(), List.copyOf(names));
  }

  /** Binds each placeholder to the value of its name in {@code values}. */
  static void bind(PreparedStatement ps, Parsed parsed, Map<String, ?> values)
      throws SQLException {
    List<String> names = parsed.names();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Object value = values.get(name);
      if (value == null && !values.containsKey(name)) {
        throw new IllegalArgumentException("no value for :" + name + " in " + parsed.jdbc());
      }
      set(ps, i + 1, value);
    }
  }

  /**
   * Binds one value: {@link Instant}s as {@code TIMESTAMP WITH TIME ZONE} in UTC, whatever the
   * JVM's zone; {@code null} untyped (as Jdbi does).
   */
  static void set(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.OTHER);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer v) {
      ps.setInt(index, v);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else if (value instanceof Instant t) {
      ps.setObject(index, t.atOffset(ZoneOffset.UTC));
    } else if (value instanceof byte[] bytes) {
      ps.setBytes(index, bytes);
    } else if (value instanceof java.sql.Array a) {
      ps.setArray(index, a);
    } else if (value instanceof Double d) {
      ps.setDouble(index, d);
    } else if (value instanceof Short s) {
      ps.setShort(index, s);
    } else if (value instanceof OffsetDateTime || value instanceof UUID
        || value instanceof BigDecimal) {
      ps.setObject(index, value);
    } else {
      throw new IllegalArgumentException("no binding for a value of " + value.getClass());
    }
  }

  /** The first row the query returns, if any. */
  static <T> Optional<T> one(Connection c, String sql, Map<String, ?> values, Row<T> row) {
    Parsed parsed = parse(sql);
    try (PreparedStatement ps = c.prepareStatement(parsed.jdbc())) {
      bind(ps, parsed, values);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Every row the query returns. */
  static <T> List<T> list(Connection c, String sql, Map<String, ?> values, Row<T> row) {
    Parsed parsed = parse(sql);
    try (PreparedStatement ps = c.prepareStatement(parsed.jdbc())) {
      bind(ps, parsed, values);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Runs an update; returns the count of rows it changed. */
  static int update(Connection c, String sql, Map<String, ?> values) {
    Parsed parsed = parse(sql);
    try (PreparedStatement ps = c.prepareStatement(parsed.jdbc())) {
      bind(ps, parsed, values);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Runs an insert of one row; returns the value the database generated for {@code key}. */
  static long insert(Connection c, String sql, Map<String, ?> values, String key) {
    Parsed parsed = parse(sql);
    try (PreparedStatement ps = c.prepareStatement(parsed.jdbc(), new String[] {key})) {
      bind(ps, parsed, values);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new IllegalStateException("the insert returned no " + key);
        }
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /**
   * Inserts rows in one JDBC batch; returns the values the database generated for {@code key},
   * in the order of the rows.
   */
  static long[] insertAll(Connection c, String sql, List<? extends Map<String, ?>> rows,
      String key) {
    Parsed parsed = parse(sql);
    try (PreparedStatement ps = c.prepareStatement(parsed.jdbc(), new String[] {key})) {
      for (Map<String, ?> values : rows) {
        bind(ps, parsed, values);
        ps.addBatch();
      }
      ps.executeBatch();
      long[] generated = new long[rows.size()];
      int count = 0;
      try (ResultSet keys = ps.getGeneratedKeys()) {
        while (keys.next()) {
          if (count == generated.length) {
            throw new IllegalStateException("the batch returned more " + key + " values than rows");
          }
          generated[count++] = keys.getLong(1);
        }
      }
      if (count != generated.length) {
        throw new IllegalStateException("the batch returned " + count + " " + key
            + " values for " + generated.length + " rows");
      }
      return generated;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Runs one statement for each row of values, as one batch (one round trip). */
  static void updateAll(Connection c, String sql, List<? extends Map<String, ?>> rows) {
    Parsed parsed = parse(sql);
    try (PreparedStatement ps = c.prepareStatement(parsed.jdbc())) {
      for (Map<String, ?> values : rows) {
        bind(ps, parsed, values);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private static UnableToExecuteStatementException failed(SQLException e) {
    String state = e.getSQLState();
    // syntax and access errors (42) and connection errors (08) name no values; a failed
    // batch entry names its whole row whatever the state
    boolean safe = state != null && (state.startsWith("42") || state.startsWith("08"))
        && !(e instanceof java.sql.BatchUpdateException);
    SQLException bare = new SQLException(e.getClass().getSimpleName() + " (SQL state "
        + state + ", error code " + e.getErrorCode() + ")" + (safe ? ": " + e.getMessage() : ""),
        state, e.getErrorCode());
    bare.setStackTrace(e.getStackTrace());
    return new UnableToExecuteStatementException("statement failed (SQL state "
        + e.getSQLState() + ")", bare, null);
  }
}
