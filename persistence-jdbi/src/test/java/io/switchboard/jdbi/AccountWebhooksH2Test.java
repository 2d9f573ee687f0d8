package io.switchboard.jdbi;

import io.switchboard.store.Store;

class AccountWebhooksH2Test extends AccountWebhooksContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
