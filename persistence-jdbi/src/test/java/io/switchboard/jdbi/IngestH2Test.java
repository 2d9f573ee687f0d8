package io.switchboard.jdbi;

import io.switchboard.store.Store;

class IngestH2Test extends IngestContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
