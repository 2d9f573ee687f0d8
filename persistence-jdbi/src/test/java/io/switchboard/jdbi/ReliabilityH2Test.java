package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ReliabilityH2Test extends ReliabilityContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
