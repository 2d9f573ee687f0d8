package io.switchboard.jdbi;

import io.switchboard.store.Store;

class TenantIsolationH2Test extends TenantIsolationContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
