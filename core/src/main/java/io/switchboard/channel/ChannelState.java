package io.switchboard.channel;

import java.util.Optional;

/**
 * Durable key-value state for channels, kept in the store: a Telegram polling offset, an IMAP
 * mailbox's UIDVALIDITY and last UID. Keys should start with the channel and inbox, for
 * example {@code telegram:12:offset}. Values are at most a few kilobytes. Thread-safe.
 */
public interface ChannelState {
  /** The value stored under {@code key}. */
  Optional<String> get(String key);

  /** Stores {@code value} under {@code key}, replacing what was there, and commits it. */
  void put(String key, String value);
}
