package io.switchboard.channel.whatsapp;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class WhatsAppSenderH2Test extends WhatsAppSenderContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
