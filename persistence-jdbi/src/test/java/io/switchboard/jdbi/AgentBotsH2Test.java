package io.switchboard.jdbi;

import io.switchboard.store.Store;

class AgentBotsH2Test extends AgentBotsContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
