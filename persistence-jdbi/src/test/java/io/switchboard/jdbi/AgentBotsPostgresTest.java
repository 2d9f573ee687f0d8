package io.switchboard.jdbi;

import io.switchboard.store.Store;

class AgentBotsPostgresTest extends AgentBotsContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
