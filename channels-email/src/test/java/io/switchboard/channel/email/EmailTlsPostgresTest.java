package io.switchboard.channel.email;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class EmailTlsPostgresTest extends EmailTlsContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
