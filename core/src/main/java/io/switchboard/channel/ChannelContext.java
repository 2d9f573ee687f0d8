package io.switchboard.channel;

import io.switchboard.blob.BlobStore;
import java.time.Clock;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * What Switchboard shares with channel providers: the one HTTP client (it owns the connection
 * pools), the clock, the blob store, and a small durable key-value state.
 *
 * @param http the shared HTTP client; derive per-channel settings with {@code newBuilder()}
 * @param clock the clock
 * @param blobs where attachments are stored
 * @param state durable state of the channel, such as a polling offset or a mailbox's last UID
 */
public record ChannelContext(OkHttpClient http, Clock clock, BlobStore blobs, ChannelState state) {
  public ChannelContext {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(blobs, "blobs");
    Objects.requireNonNull(state, "state");
  }
}
