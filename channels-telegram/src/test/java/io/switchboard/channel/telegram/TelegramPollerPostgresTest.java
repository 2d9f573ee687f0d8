package io.switchboard.channel.telegram;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class TelegramPollerPostgresTest extends TelegramPollerContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
