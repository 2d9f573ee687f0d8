package io.switchboard.channel.widget;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class WidgetApiPostgresTest extends WidgetApiContract {
  @Override
  Store newStore() {
    return TestDatabases.postgres();
  }
}
