package io.switchboard.jdbi;

import io.switchboard.store.Store;

class RealtimeH2Test extends RealtimeContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
