package io.switchboard.internal;

import io.switchboard.event.Dispatcher;
import io.switchboard.event.Event;
import io.switchboard.event.Listener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls sync listeners in registration order; one listener's failure never reaches another. */
public final class SyncDispatcher implements Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(SyncDispatcher.class);
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public SyncDispatcher(List<Listener> initial) {
    listeners.addAll(initial);
  }

  @Override
  public void dispatch(List<Event> committed) {
    for (Event event : committed) {
      for (Listener listener : listeners) {
        try {
          if (listener.accepts(event.type())) {
            listener.onEvent(event);
          }
        } catch (Exception | LinkageError e) {
          LOG.warn("sync listener {} failed on {}: {}", listener.getClass().getName(), event,
              e.toString());
        }
      }
    }
  }

  @Override
  public AutoCloseable register(Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
