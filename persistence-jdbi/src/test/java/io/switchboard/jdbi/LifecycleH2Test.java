package io.switchboard.jdbi;

import io.switchboard.store.Store;
import java.util.UUID;

class LifecycleH2Test extends LifecycleContract {
  private final String name = "lifecycle-" + UUID.randomUUID();

  @Override
  Store openStore() {
    // kept in memory after its last connection closes, so that a second store opens it again
    return JdbiStore.pooled("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
        null, null, null, 4);
  }
}
