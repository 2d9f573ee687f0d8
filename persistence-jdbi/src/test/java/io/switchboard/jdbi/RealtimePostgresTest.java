package io.switchboard.jdbi;

import io.switchboard.store.Store;

class RealtimePostgresTest extends RealtimeContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
