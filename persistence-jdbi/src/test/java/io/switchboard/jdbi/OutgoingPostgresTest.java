package io.switchboard.jdbi;

import io.switchboard.store.Store;

class OutgoingPostgresTest extends OutgoingContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
