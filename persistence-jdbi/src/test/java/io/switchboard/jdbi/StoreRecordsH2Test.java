package io.switchboard.jdbi;

import io.switchboard.store.Store;

class StoreRecordsH2Test extends StoreRecordsContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
