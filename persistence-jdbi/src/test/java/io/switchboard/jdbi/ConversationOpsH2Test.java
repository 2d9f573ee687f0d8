package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ConversationOpsH2Test extends ConversationOpsContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
