package io.switchboard.internal;

import io.switchboard.event.Listener;
import java.util.Objects;

/** An async listener and the durable name its outbox jobs are queued under. */
public record AsyncListener(String name, Listener listener) {
  public AsyncListener {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(listener, "listener");
    if (!name.matches("[A-Za-z0-9_.:-]{1,100}")) {
      throw new IllegalArgumentException("async listener name must be 1-100 characters of "
          + "letters, digits and _.:-, was '" + name + "'");
    }
  }
}
