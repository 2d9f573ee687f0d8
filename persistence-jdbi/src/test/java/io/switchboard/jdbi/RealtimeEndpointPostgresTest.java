package io.switchboard.jdbi;

import io.switchboard.store.Store;

class RealtimeEndpointPostgresTest extends RealtimeEndpointContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
