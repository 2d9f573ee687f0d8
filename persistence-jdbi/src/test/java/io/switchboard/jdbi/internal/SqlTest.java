package io.switchboard.jdbi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.StoreConflictException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqlTest {
  private Connection c;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:h2:mem:sqltest;DB_CLOSE_DELAY=-1");
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS notes");
      s.execute("CREATE TABLE notes (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
          + "body VARCHAR(100) UNIQUE, at TIMESTAMP WITH TIME ZONE, n INT, flag BOOLEAN, "
          + "data VARBINARY(10))");
    }
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  @Test
  void namedParametersBecomePlaceholdersInOrderAndRepeatedNamesBindEachTime() {
    Sql.Parsed p = Sql.parseNow("SELECT * FROM t WHERE a = :a AND (b < :after_at OR "
        + "(b = :after_at AND id < :id))");
    assertThat(p.jdbc()).isEqualTo("SELECT * FROM t WHERE a = ? AND (b < ? OR (b = ? AND id < ?))");
    assertThat(p.names()).containsExactly("a", "after_at", "after_at", "id");
  }

  @Test
  void quotedTextCastsAndIdentifiersAreCopiedAsTheyAre() {
    Sql.Parsed p = Sql.parseNow("SELECT '10:30' AS t, \"odd:name\", x::text FROM t "
        + "WHERE status <> 'resolved' AND k = :k");
    assertThat(p.jdbc()).isEqualTo("SELECT '10:30' AS t, \"odd:name\", x::text FROM t "
        + "WHERE status <> 'resolved' AND k = ?");
    assertThat(p.names()).containsExactly("k");
  }

  @Test
  void positionalParametersAndUnterminatedQuotesAreRefused() {
    assertThatThrownBy(() -> Sql.parseNow("SELECT * FROM t WHERE a = ?"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positional");
    assertThatThrownBy(() -> Sql.parseNow("SELECT 'open FROM t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Sql.parseNow("SELECT 1 -- it's :late"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment");
    assertThatThrownBy(() -> Sql.parseNow("SELECT /* :x */ 1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("comment");
    assertThat(Sql.parseNow("SELECT a - b, a / b FROM t WHERE c = :c").names())
        .containsExactly("c");
  }

  @Test
  void valuesOfEveryBoundTypeRoundTrip() {
    Instant at = Instant.parse("2026-11-25T10:15:30.123456Z");
    long id = Sql.insert(c, "INSERT INTO notes (body, at, n, flag, data) "
        + "VALUES (:body, :at, :n, :flag, :data)",
        Map.of("body", "hello", "at", at, "n", 7, "flag", true, "data", new byte[] {1, 2}), "id");
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("body", null);
    nulls.put("at", null);
    long second = Sql.insert(c, "INSERT INTO notes (body, at) VALUES (:body, :at)", nulls, "id");
    assertThat(second).isGreaterThan(id);

    List<String> rows = Sql.list(c, "SELECT * FROM notes WHERE id >= :id ORDER BY id",
        Map.of("id", id), rs -> rs.getString("body") + "|"
            + rs.getObject("at", java.time.OffsetDateTime.class) + "|" + rs.getObject("n") + "|"
            + rs.getObject("flag") + "|" + (rs.getBytes("data") == null ? null
                : rs.getBytes("data").length));
    assertThat(rows).containsExactly("hello|2026-11-25T10:15:30.123456Z|7|true|2",
        "null|null|null|null|null");
    assertThat(Sql.update(c, "UPDATE notes SET n = :n WHERE id = :id",
        Map.of("n", 8L, "id", id))).isEqualTo(1);
    assertThat(Sql.one(c, "SELECT n FROM notes WHERE id = :id", Map.of("id", id),
        rs -> rs.getInt(1))).contains(8);
    assertThat(Sql.one(c, "SELECT n FROM notes WHERE id = :id", Map.of("id", -1L),
        rs -> rs.getInt(1))).isEmpty();
  }

  @Test
  void aBatchReturnsTheGeneratedKeysInTheOrderOfItsRows() {
    long[] ids = Sql.insertAll(c, "INSERT INTO notes (body) VALUES (:body)",
        List.of(Map.of("body", "a"), Map.of("body", "b"), Map.of("body", "c")), "id");
    assertThat(ids).hasSize(3);
    assertThat(ids[1]).isGreaterThan(ids[0]);
    assertThat(ids[2]).isGreaterThan(ids[1]);
    assertThat(Sql.one(c, "SELECT body FROM notes WHERE id = :id", Map.of("id", ids[2]),
        rs -> rs.getString(1))).contains("c");
  }

  @Test
  void aMissingValueOrAnUnknownTypeIsRefusedBeforeTheStatementRuns() {
    assertThatThrownBy(() -> Sql.update(c, "UPDATE notes SET n = :n WHERE id = :id",
        Map.of("n", 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(":id");
    assertThatThrownBy(() -> Sql.update(c, "UPDATE notes SET body = :b", Map.of("b", List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no binding");
  }

  @Test
  void aFailedStatementNamesItsSqlStateNeverTheValuesAndALostRaceIsTold() {
    Sql.insert(c, "INSERT INTO notes (body) VALUES (:body)", Map.of("body", "secret text"), "id");
    JdbiException failure = (JdbiException) org.assertj.core.api.Assertions.catchThrowable(() ->
        Sql.insert(c, "INSERT INTO notes (body) VALUES (:body)", Map.of("body", "secret text"),
            "id"));
    assertThat(failure.getMessage()).contains("23505").doesNotContain("secret");
    // the driver's message names the key that exists: neither it nor the cause's is kept
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("secret");
    }
    assertThat(failure.getCause()).isInstanceOf(SQLException.class);
    assertThat(((SQLException) failure.getCause()).getSQLState()).isEqualTo("23505");
    assertThat(Conflicts.translate(failure)).isInstanceOf(StoreConflictException.class);
  }

  @Test
  void anErrorInTheStatementsTextKeepsTheDriversWordsWhichNameNoValues() {
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() ->
        Sql.one(c, "SELECT no_such_column FROM notes WHERE id = :id", Map.of("id", 1L),
            rs -> rs.getLong(1)));
    assertThat(failure).isInstanceOf(JdbiException.class);
    assertThat(failure.getCause().getMessage()).contains("42").containsIgnoringCase("no_such_column");
  }
}
