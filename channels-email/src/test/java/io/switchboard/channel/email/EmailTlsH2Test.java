package io.switchboard.channel.email;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class EmailTlsH2Test extends EmailTlsContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
