package io.switchboard.channel.whatsapp;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class WhatsAppWebhookPostgresTest extends WhatsAppWebhookContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
