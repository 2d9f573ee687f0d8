package io.switchboard.realtime;

/**
 * One real-time client's subscription. Call {@link #heartbeat()} while the client is connected
 * (at least every presence TTL) and {@link #close()} when it disconnects.
 */
public interface Subscription extends AutoCloseable {
  /** The account the subscription belongs to. */
  long accountId();

  /** The sequence of the last event delivered: what the client resumes after on reconnect. */
  long lastSequence();

  /**
   * Whether the client missed more events than the hub replays ({@link
   * RealtimeHub.Builder#maxReplay}): none were replayed, so it must read its state again (over
   * the host's HTTP API) and resume after {@link #lastSequence()} next time. Set when the
   * subscription starts.
   */
  boolean mustResync();

  /**
   * Keeps the subscriber present (online) for another presence TTL. For an agent it also reads
   * the agent's role and inboxes again, and what it receives follows them from then on; an
   * agent no longer in the account has its subscription ended instead (see {@link
   * RealtimeHub#subscribeAgent(long, long, long, java.util.function.Consumer,
   * java.util.function.Consumer)}). Does nothing once the subscription is closed.
   */
  void heartbeat();

  /** Stops delivery. */
  @Override
  void close();
}
