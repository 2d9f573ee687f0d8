package io.switchboard.jdbi;

import io.switchboard.store.Store;

class AdminH2Test extends AdminContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
