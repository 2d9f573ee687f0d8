package io.switchboard.jdbi;

import io.switchboard.store.Store;

class StoredAcknowledgementPostgresTest extends StoredAcknowledgementContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
