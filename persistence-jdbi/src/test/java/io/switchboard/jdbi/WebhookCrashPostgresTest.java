package io.switchboard.jdbi;

import java.nio.file.Path;
import java.util.List;

class WebhookCrashPostgresTest extends WebhookCrashContract {
  private final String schema = TestDatabases.newSchema();

  @Override
  List<String> hostArguments(Path dir) {
    String password = TestDatabases.postgresPassword();
    return List.of("postgres", TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        password.isEmpty() ? "-" : password, schema);
  }

  @Override
  JdbiStore reopen(Path dir) {
    return JdbiStore.pooled(TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        TestDatabases.postgresPassword(), schema, 8);
  }
}
