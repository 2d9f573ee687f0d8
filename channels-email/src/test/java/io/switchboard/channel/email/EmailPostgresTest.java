package io.switchboard.channel.email;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class EmailPostgresTest extends EmailContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
