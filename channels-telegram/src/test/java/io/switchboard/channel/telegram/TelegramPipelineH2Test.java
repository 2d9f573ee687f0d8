package io.switchboard.channel.telegram;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class TelegramPipelineH2Test extends TelegramPipelineContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
