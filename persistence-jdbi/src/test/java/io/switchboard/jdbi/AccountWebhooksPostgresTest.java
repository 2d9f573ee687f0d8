package io.switchboard.jdbi;

import io.switchboard.store.Store;

class AccountWebhooksPostgresTest extends AccountWebhooksContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
