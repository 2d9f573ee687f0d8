package io.switchboard.channel.whatsapp;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class WhatsAppSenderPostgresTest extends WhatsAppSenderContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
