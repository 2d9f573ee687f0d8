package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ChannelSupportPostgresTest extends ChannelSupportContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
