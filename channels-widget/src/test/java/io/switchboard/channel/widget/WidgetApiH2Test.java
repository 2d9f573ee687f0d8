package io.switchboard.channel.widget;

import io.switchboard.jdbi.TestDatabases;
import io.switchboard.store.Store;

class WidgetApiH2Test extends WidgetApiContract {
  @Override
  Store newStore() {
    return TestDatabases.h2();
  }
}
