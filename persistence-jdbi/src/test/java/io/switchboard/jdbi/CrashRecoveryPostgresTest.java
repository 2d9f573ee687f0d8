package io.switchboard.jdbi;

import java.nio.file.Path;
import java.util.List;

class CrashRecoveryPostgresTest extends CrashRecoveryContract {
  private final String schema = TestDatabases.newSchema();

  @Override
  List<String> hostArguments(Path dir) {
    return List.of("postgres", TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        emptyAsDash(TestDatabases.postgresPassword()), schema);
  }

  @Override
  JdbiStore reopen(Path dir) {
    return JdbiStore.pooled(TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        TestDatabases.postgresPassword(), schema, 8);
  }

  private static String emptyAsDash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
