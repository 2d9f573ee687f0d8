package io.switchboard.jdbi;

import io.switchboard.store.Store;

class WebhookH2Test extends WebhookContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
