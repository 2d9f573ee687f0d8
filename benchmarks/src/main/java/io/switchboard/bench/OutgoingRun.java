package io.switchboard.bench;

import io.switchboard.ConversationFilter;
import io.switchboard.MessageDraft;
import io.switchboard.Page;
import io.switchboard.examples.host.QuickstartHost;
import io.switchboard.model.Actor;
import io.switchboard.model.Conversation;
import io.switchboard.model.User;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outgoing run: an agent's replies in open WhatsApp conversations (inside the 24-hour
 * window), through the sender's durable jobs to the local Graph API. Send latency runs from
 * the {@code reply} call to the provider receiving the request.
 */
final class OutgoingRun {
  private OutgoingRun() {}

  static RunReport run(Databases.Db db, Path dir, int conversations, int replies, int threads)
      throws Exception {
    String tag = Long.toString(System.nanoTime(), 36);
    WhatsAppTraffic traffic = new WhatsAppTraffic(tag, conversations, 7);
    RunReport r = new RunReport("outgoing-" + (db.name.equals("PostgreSQL") ? "postgres" : "h2"),
        "Outgoing on " + db.name + ": agent replies to the WhatsApp Graph API");
    try (Target target = new Target(db, dir)) {
      for (int i = 0; i < conversations; i++) {
        if (target.inProcess(traffic.fromContact(i)) != 200) {
          throw new IllegalStateException("could not open conversation " + i);
        }
      }
      List<Long> ids = new ArrayList<>();
      String cursor = null;
      do {
        Page<Conversation> page = target.sb().conversations().list(target.accountId,
            ConversationFilter.all().withInbox(target.inbox.id()), cursor, 100);
        page.items().forEach(c -> ids.add(c.id()));
        cursor = page.nextCursor();
      } while (cursor != null);
      User agent = target.sb().admin().authenticate("admin@acme.test",
          QuickstartHost.PASSWORD.toCharArray()).orElseThrow();
      Actor actor = Actor.user(agent);

      phase(target, ids, actor, tag + "w", Math.min(replies, 300), threads);
      Resources resources = Resources.start();
      Map<String, Object> figures = phase(target, ids, actor, tag, replies, threads);
      figures.put("resources", resources.summary());
      figures.put("conversations", ids.size());
      r.figures.putAll(figures);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> api = (Map<String, Object>) r.figures.get("reply_call_latency");
    @SuppressWarnings("unchecked")
    Map<String, Object> send = (Map<String, Object>) r.figures.get("send_latency");
    @SuppressWarnings("unchecked")
    Map<String, Object> res = (Map<String, Object>) r.figures.get("resources");
    r.columns("replies", "threads", "sent msg/s", "reply() p50 ms", "reply() p99 ms",
        "to provider p50 ms", "p99 ms", "max ms", "heap peak MB", "CPU cores");
    r.row(replies, threads, r.figures.get("sent_per_second"), api.get("p50_ms"),
        api.get("p99_ms"), send.get("p50_ms"), send.get("p99_ms"), send.get("max_ms"),
        res.get("heap_peak_mb"), res.get("cpu_cores"));
    r.note("Each reply is stored with its send job in one transaction; a worker sends it "
        + "(POST /{version}/{phone_number_id}/messages) and records the provider's wamid.");
    r.panel("Send latency, reply() to provider", "ms", List.of(
        new RunReport.Bar("p50", ((Number) send.get("p50_ms")).doubleValue()),
        new RunReport.Bar("p99", ((Number) send.get("p99_ms")).doubleValue()),
        new RunReport.Bar("max", ((Number) send.get("max_ms")).doubleValue())));
    r.panel("Throughput", "replies/s", List.of(
        new RunReport.Bar("sent to the provider",
            ((Number) r.figures.get("sent_per_second")).doubleValue())));
    return r;
  }

  private static Map<String, Object> phase(Target target, List<Long> conversations, Actor actor,
      String tag, int replies, int threads) throws Exception {
    Map<String, Long> started = new ConcurrentHashMap<>();
    Stats api = new Stats();
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    ClosedLoop.forEach(threads, replies, i -> {
      String text = "reply " + tag + " " + i;
      long t0 = System.nanoTime();
      started.put(text, t0);
      try {
        target.sb().messages().reply(target.accountId,
            conversations.get(i % conversations.size()), MessageDraft.text(text), actor);
      } catch (RuntimeException e) {
        errors.incrementAndGet();
        started.remove(text);
      }
      api.add(System.nanoTime() - t0);
    });
    long until = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < until && !target.graph.sendArrivals.keySet()
        .containsAll(started.keySet())) {
      Thread.sleep(10);
    }
    Stats send = new Stats();
    long last = start;
    for (Map.Entry<String, Long> e : started.entrySet()) {
      Long arrived = target.graph.sendArrivals.get(e.getKey());
      if (arrived != null) {
        send.add(arrived - e.getValue());
        last = Math.max(last, arrived);
      }
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("replies", replies);
    out.put("threads", threads);
    out.put("errors", errors.get());
    out.put("sent", send.count());
    out.put("sent_per_second", IngestRun.round(send.count() / ((last - start) / 1e9)));
    out.put("reply_call_latency", api.summary());
    out.put("send_latency", send.summary());
    return out;
  }
}
