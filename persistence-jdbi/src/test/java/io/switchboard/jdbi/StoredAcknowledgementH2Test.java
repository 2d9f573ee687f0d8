package io.switchboard.jdbi;

import io.switchboard.store.Store;

class StoredAcknowledgementH2Test extends StoredAcknowledgementContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
