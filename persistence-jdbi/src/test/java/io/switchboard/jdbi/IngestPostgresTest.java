package io.switchboard.jdbi;

import io.switchboard.store.Store;

class IngestPostgresTest extends IngestContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
