package io.switchboard.event;

import java.util.List;

/**
 * The sync side of event dispatch: hands committed events to the listeners that run in the
 * committing thread. The async side is the transactional outbox, which Switchboard drives
 * itself.
 *
 * <p>The default implementation calls each listener in registration order and isolates their
 * failures. A host can supply its own (for example one that also publishes to a broker so
 * that other nodes see the events) with {@code Switchboard.Builder.dispatcher}.
 *
 * <p>Implementations must be thread-safe: several threads commit at once.
 */
public interface Dispatcher {

  /**
   * Delivers events whose transaction has just committed. Called once per commit, in the
   * committing thread, with the events in the order they were written. Must not throw.
   */
  void dispatch(List<Event> committed);

  /**
   * Adds a sync listener at run time.
   *
   * @return a handle whose {@code close()} removes the listener again
   */
  AutoCloseable register(Listener listener);
}
