package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ContactsPostgresTest extends ContactsContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
