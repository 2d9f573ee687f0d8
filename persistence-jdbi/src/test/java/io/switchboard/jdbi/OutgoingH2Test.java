package io.switchboard.jdbi;

import io.switchboard.store.Store;

class OutgoingH2Test extends OutgoingContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
