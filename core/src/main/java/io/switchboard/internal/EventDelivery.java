package io.switchboard.internal;

import io.switchboard.event.Event;
import io.switchboard.store.EventRecord;
import io.switchboard.store.JobRecord;
import java.util.Map;
import java.util.Optional;

/** Delivers one outbox event to the async listener the job names. */
public final class EventDelivery implements Jobs.Handler {
  private final Engine engine;
  private final Map<String, AsyncListener> listeners;

  public EventDelivery(Engine engine, Map<String, AsyncListener> listeners) {
    this.engine = engine;
    this.listeners = Map.copyOf(listeners);
  }

  @Override
  public Jobs.Outcome run(JobRecord job) throws Exception {
    AsyncListener target = listeners.get(job.target());
    if (target == null) {
      return Jobs.Outcome.retry("no async listener named '" + job.target()
          + "' is registered; registered: " + listeners.keySet(), null);
    }
    long sequence = Long.parseLong(job.payload());
    Optional<EventRecord> row = engine.tx(tx -> tx.findEvent(sequence));
    if (row.isEmpty()) {
      return Jobs.Outcome.giveUp("event #" + sequence + " is no longer in the log");
    }
    Event event = Json.readEvent(row.get().payload(), sequence);
    target.listener().onEvent(event);
    return Jobs.Outcome.done();
  }
}
