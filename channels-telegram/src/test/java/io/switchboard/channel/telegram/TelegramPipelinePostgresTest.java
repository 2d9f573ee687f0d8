package io.switchboard.channel.telegram;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class TelegramPipelinePostgresTest extends TelegramPipelineContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
