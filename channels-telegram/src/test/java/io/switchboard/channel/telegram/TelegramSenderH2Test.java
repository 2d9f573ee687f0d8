package io.switchboard.channel.telegram;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class TelegramSenderH2Test extends TelegramSenderContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
