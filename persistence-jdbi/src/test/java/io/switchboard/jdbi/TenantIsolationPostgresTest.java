package io.switchboard.jdbi;

import io.switchboard.store.Store;

class TenantIsolationPostgresTest extends TenantIsolationContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
