package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ChannelSupportH2Test extends ChannelSupportContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
