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
 * @param allowPrivateNetworkWebhooks whether URLs taken from inbox settings (the API
 *     channel's {@code webhook_url}) may resolve to loopback, private or link-local addresses:
 *     {@code Switchboard.Builder.allowPrivateNetworkWebhooks}, false by default
 */
public record ChannelContext(OkHttpClient http, Clock clock, BlobStore blobs, ChannelState state,
    boolean allowPrivateNetworkWebhooks) {
  public ChannelContext {
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(blobs, "blobs");
    Objects.requireNonNull(state, "state");
  }

  /** A context that refuses private-network URLs from inbox settings. */
  public ChannelContext(OkHttpClient http, Clock clock, BlobStore blobs, ChannelState state) {
    this(http, clock, blobs, state, false);
  }
}
