package io.switchboard.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A raw webhook request (or polled input) as received, to be stored already processed: the
 * input whose events were processed in the transaction that stores it.
 *
 * @param channel the channel's wire name
 * @param method the HTTP method, or {@code POLL}
 * @param path the request path, or where polled input came from
 * @param contentType the request's content type, if any
 * @param body the raw body
 * @param receivedAt when it was received
 */
public record RawRequestRecord(String channel, String method, String path, String contentType,
    byte[] body, Instant receivedAt) {
  public RawRequestRecord {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
