package io.switchboard.jdbi;

import io.switchboard.store.Store;

class AdminPostgresTest extends AdminContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
