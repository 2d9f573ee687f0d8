package io.switchboard.jdbi;

import io.switchboard.store.Store;

class WebhookPostgresTest extends WebhookContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
