package io.switchboard.jdbi;

import io.switchboard.store.Store;

class ContactsH2Test extends ContactsContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
