package io.switchboard.jdbi;

import io.switchboard.store.Store;

class RealtimeEndpointH2Test extends RealtimeEndpointContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
