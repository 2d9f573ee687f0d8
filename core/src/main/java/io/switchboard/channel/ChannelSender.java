package io.switchboard.channel;

/**
 * Sends one outgoing message to the provider.
 *
 * <p>Called by Switchboard's send workers, never on an agent's request thread; it may block on
 * I/O. It must classify failures: {@link SendResult.Retry} for what may pass (timeouts, 429,
 * 5xx), {@link SendResult.Failed} for what will not. An exception thrown is treated as a
 * retryable failure. Must be thread-safe.
 */
@FunctionalInterface
public interface ChannelSender {
  /** Sends the message and reports the outcome. */
  SendResult send(OutboundMessage message) throws Exception;
}
