package io.switchboard.channel.telegram;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class TelegramSenderPostgresTest extends TelegramSenderContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
