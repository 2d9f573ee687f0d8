package io.switchboard.channel.email;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class EmailH2Test extends EmailContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
