package io.switchboard.bench;

import io.switchboard.WebhookAcknowledgement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The ingest run on one database: WhatsApp deliveries through the whole incoming pipeline, in
 * process through the handler and over HTTP through the quickstart host, first as fast as
 * they are acknowledged (saturation, a closed loop of {@code threads} senders) and then at a
 * fixed offered rate; a signed-in agent's socket times each message from the moment it was
 * sent (or due to be sent) to its {@code message.created}. Then the raw JDBC baseline on the
 * same database and pool.
 */
final class IngestRun {
  /**
   * How much load: counts of messages, the offered rate, the sender threads, and how long the
   * warm-up may wait for the JIT compilers to settle.
   */
  record Sizes(int warmup, int saturation, int rate, int seconds, int contacts, int threads,
      int jitWaitSeconds) {}

  /** Sends one delivery one way; returns the HTTP status. */
  interface Sender {
    int send(WhatsAppTraffic.Delivery d) throws Exception;
  }

  /** One phase's figures. */
  record Phase(String path, String mode, int messages, int errors, double offeredRate,
      double ackRate, double deliveredRate, Map<String, Object> ack, Map<String, Object> ws,
      Map<String, Object> resources, Resources meter) {}

  private IngestRun() {}

  /** The run with the host answering webhooks as {@code ack} says. */
  static RunReport run(Databases.Db db, Path dir, Sizes sizes, WebhookAcknowledgement ack)
      throws Exception {
    String tag = Long.toString(System.nanoTime(), 36);
    WhatsAppTraffic traffic = new WhatsAppTraffic(tag, sizes.contacts(), 42);
    List<Phase> phases = new ArrayList<>();
    Map<String, Object> warmup;
    try (Target target = new Target(db, dir, ack);
        AgentSocket socket = new AgentSocket(target.host.port(), target.agentToken)) {
      Sender inProcess = target::inProcess;
      Sender http = target::overHttp;
      // each phase starts once the media downloads of the ones before it are done, so that
      // no phase is timed while the background work of another still runs
      warmup = warmUp(socket, traffic, inProcess, http, sizes);
      awaitMedia(target, traffic);
      db.sql.reset();
      phases.add(drained(saturation(socket, traffic, inProcess, sizes.saturation(),
          sizes.threads(), "in process"), target, traffic));
      if (Boolean.getBoolean("bench.sqlstats")) {
        System.out.println(db.name + ", in process: " + db.sql.top(sizes.saturation(), 40));
      }
      phases.add(drained(saturation(socket, traffic, http, sizes.saturation(), sizes.threads(),
          "HTTP"), target, traffic));
      phases.add(drained(offered(socket, traffic, inProcess, sizes, "in process"), target,
          traffic));
      phases.add(drained(offered(socket, traffic, http, sizes, "HTTP"), target, traffic));
    }
    RawBaseline raw = new RawBaseline(db.pool, db.name.equals("PostgreSQL"));
    raw.createTable();
    raw.run("warm", 500, 1, sizes.threads());
    double single = raw.run("single", sizes.saturation(), 1, sizes.threads());
    double batched = raw.run("batch", sizes.saturation() * 4, 100, sizes.threads());
    return report(db, sizes, warmup, phases, single, batched, ack);
  }

  /** Warm-up rounds end once the JIT compilers use less than this share of one core. */
  private static final double JIT_SETTLED_CORES = 0.05;

  /**
   * Warms both paths up: {@code warmup} deliveries in process and half as many over HTTP, then
   * again until the JIT compilers have settled (less than {@link #JIT_SETTLED_CORES} of a core
   * through the last round) or {@code jitWaitSeconds} have passed. The phases are short; without
   * this, a third to a half of the JVM's CPU in them went to compiling the code they run,
   * which a long-running host pays once. Returns what the warm-up took.
   */
  private static Map<String, Object> warmUp(AgentSocket socket, WhatsAppTraffic traffic,
      Sender inProcess, Sender http, Sizes sizes) throws Exception {
    long start = System.nanoTime();
    int rounds = 0;
    int messages = 0;
    double jit;
    do {
      Resources round = Resources.start();
      saturation(socket, traffic, inProcess, sizes.warmup(), sizes.threads(), "warm-up");
      saturation(socket, traffic, http, sizes.warmup() / 2, sizes.threads(), "warm-up");
      jit = round.jitCores();
      rounds++;
      messages += sizes.warmup() + sizes.warmup() / 2;
    } while (jit >= JIT_SETTLED_CORES
        && System.nanoTime() - start < sizes.jitWaitSeconds() * 1_000_000_000L);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rounds", rounds);
    out.put("messages", messages);
    out.put("seconds", round((System.nanoTime() - start) / 1e9));
    out.put("jit_cores_last_round", jit);
    System.out.println("  warm-up: " + messages + " messages in " + rounds + " rounds, "
        + out.get("seconds") + " s; the JIT used " + jit + " cores in the last");
    return out;
  }

  /**
   * Waits for the phase's media downloads, then adds the host's CPU per message: the busy time
   * of the whole machine (this JVM, the database server, everything) from the start of the
   * phase until its downloads are done, over its messages. Unlike the JVM's CPU cores, it
   * counts the database server's work, and it moves far less from run to run than the rates.
   */
  private static Phase drained(Phase phase, Target target, WhatsAppTraffic traffic)
      throws InterruptedException {
    awaitMedia(target, traffic);
    double busy = phase.meter().hostBusySeconds();
    if (busy >= 0) {
      phase.resources().put("host_cpu_ms_per_message",
          Math.round(busy * 1000 / phase.messages() * 100) / 100.0);
    }
    return phase;
  }

  /**
   * Media downloads run after the acknowledgement: waits until the local Graph API has served
   * the media of every image delivered so far (a minute at most), then a moment for the last
   * download's commit.
   */
  private static void awaitMedia(Target target, WhatsAppTraffic traffic)
      throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (target.graph.mediaDownloads.get() < traffic.images() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    if (target.graph.mediaDownloads.get() < traffic.images()) {
      System.err.println("only " + target.graph.mediaDownloads.get() + " of " + traffic.images()
          + " media downloads were served");
    }
    Thread.sleep(200);
  }

  static Phase saturation(AgentSocket socket, WhatsAppTraffic traffic, Sender sender, int n,
      int threads, String path) throws Exception {
    List<WhatsAppTraffic.Delivery> deliveries = generate(traffic, n);
    socket.reset();
    Stats ack = new Stats();
    AtomicInteger errors = new AtomicInteger();
    Resources resources = Resources.start();
    long start = System.nanoTime();
    ClosedLoop.forEach(threads, n, i -> {
      WhatsAppTraffic.Delivery d = deliveries.get(i);
      long t0 = System.nanoTime();
      socket.sentAt.put(d.wamid(), t0);
      if (sender.send(d) != 200) {
        errors.incrementAndGet();
      }
      ack.add(System.nanoTime() - t0);
    });
    return finish(path, "saturation, " + threads + " senders", n, errors.get(), 0, start, ack,
        socket, resources);
  }

  /**
   * Ends a phase whose {@code n} deliveries were all acknowledged by now: waits for the agent's
   * socket to receive them and puts the figures together.
   */
  private static Phase finish(String path, String load, int n, int errors, int rate, long start,
      Stats ack, AgentSocket socket, Resources resources) throws Exception {
    long acked = System.nanoTime() - start;
    boolean all = socket.await(n - errors, Duration.ofSeconds(120));
    long delivered = socket.lastArrival.get() - start;
    Map<String, Object> res = resources.summary();
    if (!all) {
      System.err.println(path + " " + load + ": only " + socket.received.get() + " of " + n
          + " messages reached the agent's socket");
    }
    return new Phase(path, load, n, errors, rate, n / (acked / 1e9),
        socket.received.get() / (delivered / 1e9), ack.summary(), socket.latency().summary(),
        res, resources);
  }

  static Phase offered(AgentSocket socket, WhatsAppTraffic traffic, Sender sender, Sizes sizes,
      String path) throws Exception {
    int n = sizes.rate() * sizes.seconds();
    List<WhatsAppTraffic.Delivery> deliveries = generate(traffic, n);
    socket.reset();
    Stats ack = new Stats();
    AtomicInteger errors = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(16, sizes.threads() * 2));
    long interval = 1_000_000_000L / sizes.rate();
    Resources resources = Resources.start();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      WhatsAppTraffic.Delivery d = deliveries.get(i);
      pool.execute(() -> {
        // timed from when it was due, so that a backlog shows in the figures
        socket.sentAt.put(d.wamid(), due);
        try {
          if (sender.send(d) != 200) {
            errors.incrementAndGet();
          }
        } catch (Exception e) {
          errors.incrementAndGet();
        }
        ack.add(System.nanoTime() - due);
      });
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
    return finish(path, "offered " + sizes.rate() + "/s", n, errors.get(), sizes.rate(), start,
        ack, socket, resources);
  }

  private static List<WhatsAppTraffic.Delivery> generate(WhatsAppTraffic traffic, int n) {
    List<WhatsAppTraffic.Delivery> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(traffic.next());
    }
    return out;
  }

  private static RunReport report(Databases.Db db, Sizes sizes, Map<String, Object> warmup,
      List<Phase> phases, double single, double batched, WebhookAcknowledgement ack) {
    boolean stored = ack == WebhookAcknowledgement.AFTER_STORING;
    String key = (db.name.equals("PostgreSQL") ? "postgres" : "h2") + (stored ? "-stored" : "");
    RunReport r = new RunReport("ingest-" + key, "Ingest on " + db.name
        + (stored ? ", acknowledged once stored" : "")
        + ": WhatsApp webhooks to the agent's WebSocket");
    r.columns("path", "load", "messages", "acked msg/s", "delivered msg/s", "ack p50 ms",
        "ack p99 ms", "ack max ms", "to WebSocket p50 ms", "p99 ms", "max ms", "heap peak MB",
        "CPU cores", "JIT cores", "host CPU ms/msg", "errors");
    List<Map<String, Object>> json = new ArrayList<>();
    for (Phase p : phases) {
      r.row(p.path(), p.mode(), p.messages(), p.ackRate(), p.deliveredRate(),
          p.ack().get("p50_ms"), p.ack().get("p99_ms"), p.ack().get("max_ms"),
          p.ws().get("p50_ms"), p.ws().get("p99_ms"), p.ws().get("max_ms"),
          p.resources().get("heap_peak_mb"), p.resources().get("cpu_cores"),
          p.resources().getOrDefault("jit_cores", ""),
          p.resources().getOrDefault("host_cpu_ms_per_message", ""), p.errors());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", p.path());
      m.put("load", p.mode());
      m.put("messages", p.messages());
      m.put("errors", p.errors());
      m.put("acked_per_second", round(p.ackRate()));
      m.put("delivered_per_second", round(p.deliveredRate()));
      m.put("ack_latency", p.ack());
      m.put("provider_to_websocket_latency", p.ws());
      m.put("resources", p.resources());
      json.add(m);
    }
    r.row("raw JDBC", "1 row per transaction, " + sizes.threads() + " threads",
        sizes.saturation(), single, "", "", "", "", "", "", "", "", "", "", "", 0);
    r.row("raw JDBC", "100 rows per transaction, " + sizes.threads() + " threads",
        sizes.saturation() * 4, batched, "", "", "", "", "", "", "", "", "", "", "", 0);
    Phase inProcess = phases.get(0);
    Phase http = phases.get(1);
    r.figures.put("database", db.name);
    r.figures.put("sizes", sizes);
    r.figures.put("warmup", warmup);
    r.figures.put("phases", json);
    r.figures.put("raw_single_row_per_second", round(single));
    r.figures.put("raw_batched_per_second", round(batched));
    r.figures.put("ratio_in_process_to_raw_single", round(inProcess.deliveredRate() / single));
    r.figures.put("ratio_http_to_raw_single", round(http.deliveredRate() / single));
    r.note(String.format(java.util.Locale.ROOT, "Pipeline throughput (delivered to the agent's "
        + "socket) over the raw single-row insert rate: %.2f in process, %.2f over HTTP "
        + "(target: at least 0.5).", inProcess.deliveredRate() / single,
        http.deliveredRate() / single));
    r.note((stored
        ? "Every message is acknowledged once its raw delivery and a job for it are stored "
            + "(WebhookAcknowledgement.AFTER_STORING); the host's ingest lanes then process the "
            + "stored deliveries in bulk (contact, conversation, message and events), so the "
            + "acknowledgement rate can run ahead of the delivered rate while a backlog builds"
        : "Every message is acknowledged only after it is stored and processed (the raw "
            + "delivery and its job, then contact, conversation, message and events)")
        + "; one in five carries an image, downloaded from the local Graph API after the "
        + "acknowledgement.");
    r.note("Latencies of the offered-load phases count from when a delivery was due, so a "
        + "backlog shows; heap and CPU cores are this JVM's: the pipeline, the host and the load "
        + "generator together; JIT cores is the part of them the JIT compilers used. Warm-up ran "
        + warmup.get("messages") + " deliveries in " + warmup.get("seconds") + " s, "
        + ((double) warmup.get("jit_cores_last_round") < JIT_SETTLED_CORES
            ? "until the compilers used under " + JIT_SETTLED_CORES + " cores ("
                + warmup.get("jit_cores_last_round") + " in its last round)"
            : "until its time ran out (jitwait), the compilers still at "
                + warmup.get("jit_cores_last_round") + " cores in its last round")
        + ". Host CPU per message is the busy time of the whole machine (this "
        + "JVM, the database server, everything) from the start of a phase until its media "
        + "downloads are done, over its messages.");
    r.panel("Throughput", "messages/s", List.of(
        new RunReport.Bar("pipeline in process", inProcess.deliveredRate()),
        new RunReport.Bar("pipeline over HTTP", http.deliveredRate()),
        new RunReport.Bar("raw JDBC, 1 row per tx", single),
        new RunReport.Bar("raw JDBC, 100 rows per tx", batched)));
    List<RunReport.Bar> p99 = new ArrayList<>();
    List<RunReport.Bar> ackP99 = new ArrayList<>();
    for (Phase p : phases) {
      p99.add(new RunReport.Bar(p.path() + ", " + p.mode(),
          ((Number) p.ws().get("p99_ms")).doubleValue()));
      ackP99.add(new RunReport.Bar(p.path() + ", " + p.mode(),
          ((Number) p.ack().get("p99_ms")).doubleValue()));
    }
    r.panel("Provider to WebSocket, p99", "ms", p99);
    r.panel("Webhook acknowledgement, p99", "ms", ackP99);
    return r;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
