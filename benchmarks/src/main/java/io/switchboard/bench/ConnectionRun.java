package io.switchboard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection run: {@code N} idle agent WebSocket connections to one node, and what they
 * cost it. The node ({@link ConnectionServer}) runs in a child JVM so that its heap holds only
 * Switchboard, the real-time hub and Jetty; the clients (the JDK's WebSocket client) live in
 * this JVM. After the connections are open and have settled, the run compares the node's heap
 * after full collections with its baseline, then creates one inbox and times how long its
 * {@code inbox.created} event takes to reach every client.
 */
final class ConnectionRun {
  /** HttpClient instances the connections are spread over (one selector thread each). */
  private static final int HTTP_CLIENTS = 4;
  /** Handshakes in flight at once. */
  private static final int IN_FLIGHT = 250;
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SETTLE = Duration.ofSeconds(3);
  private static final Duration FANOUT_WAIT = Duration.ofSeconds(30);
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(120);

  private ConnectionRun() {}

  static RunReport run(int connections) throws Exception {
    RunReport report = new RunReport("connections", "Idle WebSocket connections on one node");
    Map<String, Object> f = report.figures;
    try (Node node = Node.start()) {
      long heapBaseline = node.heap();
      long rssBaseline = node.rss();

      // open the connections, IN_FLIGHT handshakes at a time
      List<HttpClient> https = new ArrayList<>();
      for (int i = 0; i < HTTP_CLIENTS; i++) {
        https.add(HttpClient.newBuilder().connectTimeout(HANDSHAKE_TIMEOUT).build());
      }
      URI uri = URI.create("ws://127.0.0.1:" + node.port + "/realtime?access_token=" + node.token);
      Client[] clients = new Client[connections];
      Semaphore slots = new Semaphore(IN_FLIGHT);
      CountDownLatch settled = new CountDownLatch(connections);
      AtomicInteger failures = new AtomicInteger();
      Map<String, AtomicInteger> failureReasons = new ConcurrentHashMap<>();
      Stats handshakes = new Stats();
      AtomicInteger broadcastsSeen = new AtomicInteger();
      long connectStart = System.nanoTime();
      for (int i = 0; i < connections; i++) {
        slots.acquire();
        Client client = new Client(broadcastsSeen);
        clients[i] = client;
        long begun = System.nanoTime();
        CompletableFuture<WebSocket> opening;
        try {
          opening = https.get(i % HTTP_CLIENTS).newWebSocketBuilder()
              .connectTimeout(HANDSHAKE_TIMEOUT).buildAsync(uri, client);
        } catch (RuntimeException e) {
          opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((socket, error) -> {
          try {
            if (error == null) {
              client.socket = socket;
              handshakes.add(System.nanoTime() - begun);
            } else {
              failures.incrementAndGet();
              failureReasons.computeIfAbsent(reason(error), r -> new AtomicInteger())
                  .incrementAndGet();
            }
          } finally {
            slots.release();
            settled.countDown();
          }
        });
      }
      boolean allSettled = settled.await(5, TimeUnit.MINUTES);
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;

      // let the node finish its side of the handshakes (subscriptions), then measure
      int opened = countOpen(clients);
      String sessions = node.sessions();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (serverCount(sessions, "SESSIONS") < opened && System.nanoTime() < deadline) {
        Thread.sleep(200);
        sessions = node.sessions();
      }
      Thread.sleep(SETTLE.toMillis());
      sessions = node.sessions();
      long heapWithClients = node.heap();
      long rssWithClients = node.rss();
      int open = countOpen(clients);
      int closedByServer = Math.max(0, opened - open);

      // one event to the whole account: every connection is an administrator's
      long broadcastStart = System.nanoTime();
      node.ask("broadcast", "BROADCAST");
      long fanoutDeadline = System.nanoTime() + FANOUT_WAIT.toNanos();
      while (broadcastsSeen.get() < open && System.nanoTime() < fanoutDeadline) {
        Thread.sleep(5);
      }
      Stats delivery = new Stats();
      long lastArrival = 0;
      for (Client client : clients) {
        long at = client.broadcastAt;
        if (at != 0) {
          delivery.add(at - broadcastStart);
          lastArrival = Math.max(lastArrival, at);
        }
      }
      int received = delivery.count();

      f.put("connections_requested", connections);
      f.put("connections_open", open);
      f.put("connect_failures", failures.get());
      f.put("closed_by_server", closedByServer);
      f.put("server_sessions", serverCount(sessions, "SESSIONS"));
      f.put("connect_seconds", round(connectSeconds, 2));
      f.put("connects_per_second", round(opened / Math.max(connectSeconds, 1e-9), 0));
      Map<String, Object> handshake = handshakes.summary();
      f.put("handshake_p50_ms", handshake.get("p50_ms"));
      f.put("handshake_p99_ms", handshake.get("p99_ms"));
      f.put("server_heap_baseline_mb", Resources.mb(heapBaseline));
      f.put("server_heap_with_clients_mb", Resources.mb(heapWithClients));
      f.put("heap_per_connection_kb", open == 0 ? null
          : round((heapWithClients - heapBaseline) / 1024.0 / open, 1));
      if (rssBaseline > 0 && rssWithClients > 0) {
        f.put("server_rss_baseline_mb", Resources.mb(rssBaseline));
        f.put("server_rss_mb", Resources.mb(rssWithClients));
        f.put("rss_per_connection_kb", open == 0 ? null
            : round((rssWithClients - rssBaseline) / 1024.0 / open, 1));
      }
      f.put("broadcast_received", received);
      f.put("broadcast_fanout_ms", received == 0 ? null
          : Stats.ms(lastArrival - broadcastStart));
      Map<String, Object> fanout = delivery.summary();
      f.put("broadcast_p50_ms", fanout.get("p50_ms"));
      f.put("broadcast_p99_ms", fanout.get("p99_ms"));

      report.columns("figure", "value");
      f.forEach((name, value) -> report.row(name, value == null ? "n/a" : value));
      String withClients = String.format(java.util.Locale.ROOT, "%,d idle connections", open);
      report.panel("Server heap after full GC", "MB", List.of(
          new RunReport.Bar("baseline", Resources.mb(heapBaseline)),
          new RunReport.Bar(withClients, Resources.mb(heapWithClients))));
      if (f.get("server_rss_mb") != null) {
        report.panel("Server resident set", "MB", List.of(
            new RunReport.Bar("baseline", Resources.mb(rssBaseline)),
            new RunReport.Bar(withClients, Resources.mb(rssWithClients))));
      }
      List<RunReport.Bar> perConnection = new ArrayList<>();
      if (f.get("heap_per_connection_kb") instanceof Double kb) {
        perConnection.add(new RunReport.Bar("heap per connection", kb));
      }
      if (f.get("rss_per_connection_kb") instanceof Double kb) {
        perConnection.add(new RunReport.Bar("resident set per connection", kb));
      }
      if (!perConnection.isEmpty()) {
        report.panel("Cost of one idle connection", "KB", perConnection);
      }
      report.panel("Latency", "ms", List.of(
          new RunReport.Bar("handshake p50", (Double) handshake.get("p50_ms")),
          new RunReport.Bar("handshake p99", (Double) handshake.get("p99_ms")),
          new RunReport.Bar("broadcast delivery p50", (Double) fanout.get("p50_ms")),
          new RunReport.Bar("broadcast delivery p99", (Double) fanout.get("p99_ms")),
          new RunReport.Bar("broadcast to the last client",
              received == 0 ? 0.0 : Stats.ms(lastArrival - broadcastStart))));

      report.note("Agents connect to `/realtime` of Switchboard's `RealtimeEndpoint` in Jetty 12 "
          + "(in-memory H2, one administrator, " + HTTP_CLIENTS + " JDK HttpClients, "
          + IN_FLIGHT + " handshakes in flight). The connections stay idle: no heartbeats after "
          + "the handshake, so they are subscribed but not counted as present.");
      report.note("The node runs in a child JVM (-Xmx2g, G1) and the clients in the harness JVM, "
          + "so client memory does not enter the node's figures. Heap per connection is (heap "
          + "with the connections − baseline) / open connections, both after full collections; "
          + "memory outside the heap (direct I/O buffers, thread stacks) shows only in the "
          + "resident set, which also holds heap the JVM has committed and not returned, so the "
          + "resident set per connection is an upper bound.");
      report.note("Broadcast: one `inbox.created` event, which the hub sends to every "
          + "administrator's connection; the times run from the command to the node until each "
          + "client has read the event.");
      if (!allSettled) {
        report.note("Not every handshake finished within 5 minutes: "
            + settled.getCount() + " were still pending.");
      }
      if (open < connections) {
        report.note("Only " + open + " of " + connections + " connections were open when the "
            + "heap was measured (" + failures.get() + " handshakes failed, " + closedByServer
            + " closed afterwards). Failures: " + reasons(failureReasons) + ".");
      }
      if (received < open) {
        report.note("Only " + received + " of " + open + " open connections received the "
            + "broadcast within " + FANOUT_WAIT.toSeconds() + " s.");
      }

      closeAll(clients);
      https.clear();
    }
    return report;
  }

  /** Closes every connection, politely first; whatever has not closed after 20 s is aborted. */
  private static void closeAll(Client[] clients) {
    List<CompletableFuture<WebSocket>> closing = new ArrayList<>();
    for (Client client : clients) {
      WebSocket socket = client == null ? null : client.socket;
      if (socket != null && !socket.isOutputClosed()) {
        closing.add(socket.sendClose(WebSocket.NORMAL_CLOSURE, "run over")
            .exceptionally(e -> socket));
      }
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // aborted below
    }
    for (Client client : clients) {
      if (client != null && client.socket != null) {
        client.socket.abort();
      }
    }
  }

  private static int countOpen(Client[] clients) {
    int open = 0;
    for (Client client : clients) {
      if (client != null && client.socket != null && !client.closed) {
        open++;
      }
    }
    return open;
  }

  /** The number after {@code label} in an answer such as {@code SESSIONS 10 AUTHENTICATED 10}. */
  private static int serverCount(String answer, String label) {
    String[] words = answer.split(" ");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals(label)) {
        return Integer.parseInt(words[i + 1]);
      }
    }
    return -1;
  }

  private static String reason(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause instanceof java.util.concurrent.CompletionException) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String reasons(Map<String, AtomicInteger> reasons) {
    if (reasons.isEmpty()) {
      return "none";
    }
    StringBuilder out = new StringBuilder();
    reasons.entrySet().stream()
        .sorted((a, b) -> Integer.compare(b.getValue().get(), a.getValue().get()))
        .limit(5)
        .forEach(e -> out.append(out.length() == 0 ? "" : "; ")
            .append(e.getValue().get()).append("× ").append(e.getKey()));
    return out.toString();
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** One client connection: it reads every message and notes when the broadcast arrived. */
  private static final class Client implements WebSocket.Listener {
    private final AtomicInteger broadcastsSeen;
    volatile WebSocket socket;
    volatile boolean closed;
    /** {@link System#nanoTime()} when the {@code inbox.created} event arrived; 0 before. */
    volatile long broadcastAt;
    private StringBuilder partial;

    Client(AtomicInteger broadcastsSeen) {
      this.broadcastsSeen = broadcastsSeen;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (!last) {
        if (partial == null) {
          partial = new StringBuilder();
        }
        partial.append(data);
      } else {
        CharSequence text = partial == null ? data : partial.append(data);
        partial = null;
        if (broadcastAt == 0 && text.toString().contains("inbox.created")) {
          broadcastAt = System.nanoTime();
          broadcastsSeen.incrementAndGet();
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed = true;
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed = true;
    }
  }

  /** The child JVM running {@link ConnectionServer}, spoken to over its stdin and stdout. */
  private static final class Node implements AutoCloseable {
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    final int port;
    final String token;

    private Node(Process process) throws IOException, InterruptedException, TimeoutException {
      this.process = process;
      this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            answers.add(line);
          }
        } catch (IOException e) {
          // the node is gone; ask() notices
        }
      }, "bench-connection-node");
      reader.setDaemon(true);
      reader.start();
      String[] ready = next("READY").split(" ");
      this.port = Integer.parseInt(ready[1]);
      this.token = ready[2];
    }

    static Node start() throws Exception {
      String java = ProcessHandle.current().info().command().orElse(
          Path.of(System.getProperty("java.home"), "bin", "java").toString());
      ProcessBuilder builder = new ProcessBuilder(java, "-Xmx2g", "-XX:+UseG1GC",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-cp", System.getProperty("java.class.path"), ConnectionServer.class.getName());
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process process = builder.start();
      try {
        return new Node(process);
      } catch (Exception e) {
        process.destroyForcibly();
        throw e;
      }
    }

    String ask(String command, String answer)
        throws IOException, InterruptedException, TimeoutException {
      commands.println(command);
      if (commands.checkError()) {
        throw new IOException("the connection node has stopped taking commands");
      }
      return next(answer);
    }

    long heap() throws Exception {
      return Long.parseLong(ask("heap", "HEAP").split(" ")[1]);
    }

    String sessions() throws Exception {
      return ask("sessions", "SESSIONS");
    }

    /** The node's resident set in bytes, or -1 where {@code /proc} does not tell. */
    long rss() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", process.pid() + "", "status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux
      }
      return -1;
    }

    private String next(String prefix) throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
      while (true) {
        String line = answers.poll(200, TimeUnit.MILLISECONDS);
        if (line != null) {
          if (line.startsWith(prefix)) {
            return line;
          }
          continue;
        }
        if (!process.isAlive() && answers.isEmpty()) {
          throw new IllegalStateException("the connection node exited with "
              + process.exitValue() + " while the run waited for " + prefix);
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("the connection node did not answer " + prefix);
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        commands.println("quit");
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }
}
