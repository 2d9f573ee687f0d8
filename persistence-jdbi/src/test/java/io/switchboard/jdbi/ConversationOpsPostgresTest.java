package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ConversationOpsPostgresTest extends ConversationOpsContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
