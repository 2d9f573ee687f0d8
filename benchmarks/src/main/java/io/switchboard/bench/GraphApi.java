package io.switchboard.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * The local WhatsApp Graph API: answers media look-ups and downloads (a 24 KiB image) and
 * message sends (a new wamid each), and notes when each send arrived, keyed by the text of the
 * message, for the send latency.
 */
final class GraphApi implements AutoCloseable {
  private static final Pattern BODY = Pattern.compile("\"body\"\\s*:\\s*\"([^\"]*)\"");
  private static final byte[] IMAGE = new byte[24 * 1024];
  private final MockWebServer server = new MockWebServer();
  final Map<String, Long> sendArrivals = new ConcurrentHashMap<>();
  final AtomicLong mediaDownloads = new AtomicLong();
  private final AtomicLong wamids = new AtomicLong();

  GraphApi() throws IOException {
    new java.util.Random(7).nextBytes(IMAGE);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        if (path.startsWith("/files/")) {
          mediaDownloads.incrementAndGet();
          return new MockResponse().setHeader("Content-Type", "image/jpeg")
              .setBody(new Buffer().write(IMAGE));
        }
        if (path.endsWith("/messages") && "POST".equals(request.getMethod())) {
          long now = System.nanoTime();
          Matcher m = BODY.matcher(request.getBody().readUtf8());
          if (m.find()) {
            sendArrivals.put(m.group(1), now);
          }
          return json("{\"messaging_product\":\"whatsapp\",\"contacts\":[],\"messages\":"
              + "[{\"id\":\"wamid.out." + wamids.incrementAndGet() + "\"}]}");
        }
        if (path.contains("/media")) {
          String id = path.substring(path.lastIndexOf('/') + 1);
          return json("{\"url\":\"" + server.url("/files/" + id) + "\",\"mime_type\":"
              + "\"image/jpeg\",\"file_size\":" + IMAGE.length + ",\"id\":\"" + id + "\"}");
        }
        return new MockResponse().setResponseCode(404);
      }
    });
    // answers in one packet: without TCP_NODELAY the mock's separate writes of headers and
    // body meet the client's delayed ACK, and every call waits about 40 ms
    server.setServerSocketFactory(new javax.net.ServerSocketFactory() {
      @Override
      public java.net.ServerSocket createServerSocket() throws IOException {
        return new java.net.ServerSocket() {
          @Override
          public java.net.Socket accept() throws IOException {
            java.net.Socket socket = super.accept();
            socket.setTcpNoDelay(true);
            return socket;
          }
        };
      }

      @Override
      public java.net.ServerSocket createServerSocket(int port) throws IOException {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.net.ServerSocket createServerSocket(int port, int backlog,
          java.net.InetAddress address) throws IOException {
        throw new UnsupportedOperationException();
      }
    });
    server.start();
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  /** The base URL to configure the WhatsApp channel with. */
  String baseUrl() {
    String url = server.url("/").toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
  }
}
