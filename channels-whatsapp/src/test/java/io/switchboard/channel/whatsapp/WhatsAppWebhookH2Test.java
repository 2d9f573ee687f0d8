package io.switchboard.channel.whatsapp;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class WhatsAppWebhookH2Test extends WhatsAppWebhookContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
