package io.switchboard.jdbi;

import io.switchboard.store.Store;

class LifecyclePostgresTest extends LifecycleContract {
  private final String schema = TestDatabases.newSchema();

  @Override
  Store openStore() {
    return JdbiStore.pooled(TestDatabases.postgresUrl(), TestDatabases.postgresUser(),
        TestDatabases.postgresPassword(), schema, 4);
  }
}
