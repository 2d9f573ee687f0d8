package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ReliabilityPostgresTest extends ReliabilityContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
