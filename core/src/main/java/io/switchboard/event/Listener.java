package io.switchboard.event;

/**
 * Receives events. Register it on the builder as a sync or an async listener.
 *
 * <p><b>Sync listeners</b> ({@code Switchboard.Builder.syncListener}) run right after the
 * transaction that produced the events commits, in the thread that committed it (a webhook
 * thread, an agent's request thread). They must be fast, must not block on I/O, and must not
 * call back into Switchboard's write API. An exception is logged and swallowed: it never
 * reaches the pipeline nor the other listeners. Use them for in-memory fan-out such as the
 * real-time hub.
 *
 * <p><b>Async listeners</b> ({@code Switchboard.Builder.asyncListener}) are fed from the
 * transactional outbox by worker threads, at least once: an event is delivered again after a
 * crash or when {@link #onEvent} throws, with exponential backoff, until it succeeds or the
 * retry policy gives up. Implementations must therefore be idempotent (use {@link Event#id()}).
 * One listener's failures never delay another listener. They may block and do I/O (HTTP
 * webhooks, notifications, automation).
 */
@FunctionalInterface
public interface Listener {

  /**
   * Whether this listener wants events of {@code type}. For async listeners this is asked
   * while the change is written, so events the listener does not want are never queued for
   * it. Must be fast and side-effect free.
   */
  default boolean accepts(EventType type) {
    return true;
  }

  /**
   * Handles one event.
   *
   * @throws Exception for an async listener, to have the event delivered again later; for a
   *     sync listener the exception is logged and ignored
   */
  void onEvent(Event event) throws Exception;
}
