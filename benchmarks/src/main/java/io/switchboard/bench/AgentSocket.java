package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A signed-in agent's real-time socket: notes when each {@code message.created} arrives, by
 * the message's source id (the provider's message id), and measures the provider-to-WebSocket
 * latency against the time the delivery was sent (or due to be sent).
 */
final class AgentSocket implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** When each delivery left the provider, by wamid; set by the load generator. */
  final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  final AtomicLong received = new AtomicLong();
  final AtomicLong lastArrival = new AtomicLong();
  private volatile Stats latency = new Stats();
  private final WebSocket socket;
  /**
   * Why the socket ended before {@link #close}, if it did: the server closes an agent's
   * socket that reads too slowly, for one.
   */
  private final java.util.concurrent.atomic.AtomicReference<String> ended =
      new java.util.concurrent.atomic.AtomicReference<>();

  AgentSocket(int port, String accessToken) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/realtime?access_token=" + accessToken),
            new WebSocket.Listener() {
              private final StringBuilder partial = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                  long now = System.nanoTime();
                  String text = partial.toString();
                  partial.setLength(0);
                  if (text.contains("\"message.created\"")) {
                    arrived(text, now);
                  }
                }
                ws.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                ended.compareAndSet(null, "closed (" + status + " " + reason + ")");
                return null;
              }

              @Override
              public void onError(WebSocket ws, Throwable error) {
                ended.compareAndSet(null, "broken (" + error + ")");
              }
            }).get(10, TimeUnit.SECONDS);
  }

  private void arrived(String text, long now) {
    try {
      JsonNode event = JSON.readTree(text);
      JsonNode source = event.path("data").path("source_id");
      Long sent = source.isTextual() ? sentAt.remove(source.asText()) : null;
      if (sent != null) {
        latency.add(now - sent);
        received.incrementAndGet();
        lastArrival.set(now);
      }
    } catch (java.io.IOException e) {
      // not an event of ours
    }
  }

  /** Starts a new phase: new samples, counts from zero. */
  void reset() {
    latency = new Stats();
    received.set(0);
    sentAt.clear();
  }

  Stats latency() {
    return latency;
  }

  /**
   * Waits until {@code count} messages of this phase arrived, or the timeout passed.
   *
   * @throws IllegalStateException when the socket ended before they arrived: no more will, and
   *     the phase's latencies would describe only the messages before
   */
  boolean await(long count, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (received.get() < count && System.nanoTime() < until && ended.get() == null) {
      Thread.sleep(5);
    }
    if (received.get() < count && ended.get() != null) {
      throw new IllegalStateException("the agent's real-time socket was " + ended.get()
          + " after " + received.get() + " of " + count + " messages of the phase");
    }
    return received.get() >= count;
  }

  @Override
  public void close() {
    ended.compareAndSet(null, "closed by the harness");
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
