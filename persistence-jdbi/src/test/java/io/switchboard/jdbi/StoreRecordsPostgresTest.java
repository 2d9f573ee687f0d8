package io.switchboard.jdbi;

import io.switchboard.store.Store;

class StoreRecordsPostgresTest extends StoreRecordsContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
