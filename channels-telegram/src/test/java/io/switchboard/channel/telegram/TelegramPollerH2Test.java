package io.switchboard.channel.telegram;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class TelegramPollerH2Test extends TelegramPollerContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
