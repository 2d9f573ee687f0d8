package io.switchboard.bench;

import io.switchboard.WebhookAcknowledgement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark harness. Run from the repository root:
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests -Pbench                        # the full run, 10–20 min
 * mvn -q -pl benchmarks -am package -DskipTests -Pbench -Dbench.args="quick"   # a smoke run, ~3 min
 * </pre>
 *
 * <p>Arguments, separated by spaces: {@code full} or {@code quick}; {@code only=ingest,outgoing,
 * connections} to pick runs; {@code db=h2,postgres} to pick databases; {@code warmup=},
 * {@code messages=}, {@code rate=}, {@code seconds=}, {@code contacts=}, {@code threads=} and
 * {@code connections=} to change the load; {@code jitwait=SECONDS} for how long the ingest
 * warm-up may go on until the JIT compilers settle (150 in a full run, 20 in a quick one);
 * {@code ack=processed,stored} for how the ingest host answers webhooks: once processed, once
 * stored, or each in a run of its own (both in a full run, once processed in a quick one; the
 * runs acknowledged once stored are named {@code ingest-<db>-stored}); {@code out=DIR} for
 * where the results go ({@code benchmarks/results} for a full run, {@code
 * benchmarks/target/bench-quick} for a quick one). Each run writes {@code <run>.json}, {@code
 * <run>.md} and {@code <run>.svg}; {@code summary.md} puts the tables together with the machine.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : String.join(" ", args).trim().split("\\s+")) {
      if (arg.isEmpty()) {
        continue;
      }
      int eq = arg.indexOf('=');
      options.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    boolean quick = options.containsKey("quick");
    Set<String> runs = set(options.getOrDefault("only", "ingest,outgoing,connections"));
    Set<String> dbs = set(options.getOrDefault("db", "h2,postgres"));
    Path out = Path.of(options.getOrDefault("out", quick ? "target/bench-quick" : "results"));
    IngestRun.Sizes base = quick
        ? new IngestRun.Sizes(200, 600, 200, 3, 300, 8, 20)
        : new IngestRun.Sizes(3000, 3000, 500, 10, 3000, 8, 150);
    IngestRun.Sizes sizes = new IngestRun.Sizes(
        intOption(options, "warmup", base.warmup()),
        intOption(options, "messages", base.saturation()),
        intOption(options, "rate", base.rate()),
        intOption(options, "seconds", base.seconds()),
        intOption(options, "contacts", base.contacts()),
        intOption(options, "threads", base.threads()),
        intOption(options, "jitwait", base.jitWaitSeconds()));
    List<WebhookAcknowledgement> acks = new ArrayList<>();
    for (String ack : options.getOrDefault("ack", quick ? "processed" : "processed,stored")
        .split(",")) {
      switch (ack.trim()) {
        case "processed" -> acks.add(WebhookAcknowledgement.AFTER_PROCESSING);
        case "stored" -> acks.add(WebhookAcknowledgement.AFTER_STORING);
        default -> throw new IllegalArgumentException(
            "ack= takes processed, stored or both (processed,stored), not " + ack);
      }
    }
    int connections = Integer.parseInt(options.getOrDefault("connections",
        quick ? "500" : "10000"));

    Map<String, Object> machine = Machine.describe();
    System.out.println("Switchboard benchmarks (" + (quick ? "quick" : "full") + ") on "
        + machine.get("cpu") + ", " + machine.get("cores") + " cores; results in "
        + out.toAbsolutePath());
    Path work = Files.createTempDirectory("switchboard-bench-");
    List<RunReport> reports = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try {
      for (String name : List.of("h2", "postgres")) {
        if (!dbs.contains(name) || !(runs.contains("ingest") || runs.contains("outgoing"))) {
          continue;
        }
        if (name.equals("postgres") && !Databases.postgresAvailable()) {
          skipped.add("PostgreSQL runs: no PostgreSQL answered on " + Databases.PG_URL);
          System.out.println("skipped: PostgreSQL is not reachable at " + Databases.PG_URL);
          continue;
        }
        for (WebhookAcknowledgement ack : runs.contains("ingest") ? acks
            : List.<WebhookAcknowledgement>of()) {
          try (Databases.Db db = open(name, work)) {
            boolean stored = ack == WebhookAcknowledgement.AFTER_STORING;
            System.out.println("ingest on " + db.name + (stored ? ", acknowledged once stored"
                : "") + " ...");
            reports.add(done(IngestRun.run(db, work, sizes, ack), out, machine));
          }
        }
        if (runs.contains("outgoing")) {
          try (Databases.Db db = open(name, work)) {
            System.out.println("outgoing on " + db.name + " ...");
            reports.add(done(OutgoingRun.run(db, work, quick ? 50 : 200, quick ? 400 : 3000, 8),
                out, machine));
          }
        }
      }
      if (runs.contains("connections")) {
        System.out.println(connections + " idle WebSocket connections ...");
        reports.add(done(ConnectionRun.run(connections), out, machine));
      }
    } finally {
      Databases.deleteTree(work);
    }
    writeSummary(out, machine, reports, skipped, quick);
    System.out.println("done: " + out.resolve("summary.md").toAbsolutePath());
    System.exit(0);
  }

  private static Databases.Db open(String name, Path work) throws Exception {
    return name.equals("h2") ? Databases.h2File(work) : Databases.postgres();
  }

  private static RunReport done(RunReport report, Path out, Map<String, Object> machine)
      throws Exception {
    report.write(out, machine);
    System.out.println(report.markdown());
    return report;
  }

  private static void writeSummary(Path out, Map<String, Object> machine,
      List<RunReport> reports, List<String> skipped, boolean quick) throws Exception {
    StringBuilder md = new StringBuilder("### Benchmark results (" + (quick ? "quick" : "full")
        + " run)\n\n");
    md.append("Taken ").append(machine.get("taken_at")).append(" on ").append(machine.get("cpu"))
        .append(", ").append(machine.get("cores")).append(" cores, ")
        .append(machine.get("memory_gb")).append(" GiB, ").append(machine.get("os"))
        .append(", ").append(machine.get("java")).append(", heap limit ")
        .append(machine.get("max_heap_mb")).append(" MiB.\n\n");
    for (String s : skipped) {
      md.append("- Skipped: ").append(s).append('\n');
    }
    for (RunReport r : reports) {
      md.append(r.markdown()).append('\n');
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("summary.md"), md.toString());
  }

  private static int intOption(Map<String, String> options, String name, int fallback) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
  }

  private static Set<String> set(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }
}
