package io.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap and CPU of this JVM during a phase: the peak heap in use (sampled every 50 ms), the heap
 * still in use after a full collection at the end, and the CPU time the process used, as cores.
 */
final class Resources implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final long cpuStart = cpuNanos();
  private final long jitStart = jitMillis();
  private final long wallStart = System.nanoTime();
  private final long[] hostStart = hostTicks();
  private final Thread sampler;
  private volatile boolean running = true;
  private long cpuEnd;
  private long jitEnd;
  private long wallEnd;

  private Resources() {
    sampler = new Thread(() -> {
      while (running) {
        peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  static Resources start() {
    return new Resources();
  }

  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    cpuEnd = cpuNanos();
    jitEnd = jitMillis();
    wallEnd = System.nanoTime();
    sampler.interrupt();
  }

  /**
   * {@code heap_peak_mb}, {@code heap_after_gc_mb}, {@code cpu_cores} (CPU time / wall time) and,
   * where known, {@code jit_cores} (see {@link #jitCores}).
   */
  Map<String, Object> summary() {
    close();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("heap_peak_mb", mb(peak.get()));
    out.put("heap_after_gc_mb", mb(usedAfterGc()));
    double cores = (cpuEnd - cpuStart) / (double) Math.max(1, wallEnd - wallStart);
    out.put("cpu_cores", Math.round(cores * 100) / 100.0);
    double jit = jitCores();
    if (jit >= 0) {
      out.put("jit_cores", jit);
    }
    return out;
  }

  /**
   * Ends the measurement and returns the part of {@code cpu_cores} the JIT compilers' threads
   * used, compiling rather than running, to two decimals; -1 where unknown. Unlike {@link
   * #summary}, it forces no garbage collection.
   */
  double jitCores() {
    close();
    if (jitStart < 0 || jitEnd < 0) {
      return -1;
    }
    return Math.round((jitEnd - jitStart) * 1e6 / Math.max(1, wallEnd - wallStart) * 100)
        / 100.0;
  }

  /**
   * The busy CPU time of the whole host since this phase started, in seconds: this JVM, the
   * database server and anything else running (Linux's {@code /proc/stat}: user, nice, system,
   * irq and softirq time; idle, I/O wait and steal are not busy). Negative where unknown.
   */
  double hostBusySeconds() {
    long[] now = hostTicks();
    if (hostStart == null || now == null) {
      return -1;
    }
    long busy = now[0] - hostStart[0];
    long total = now[1] - hostStart[1];
    double wall = (System.nanoTime() - wallStart) / 1e9;
    return total <= 0 ? -1
        : busy / (double) total * Runtime.getRuntime().availableProcessors() * wall;
  }

  /** Busy and total ticks of all CPUs from {@code /proc/stat}, or null. */
  private static long[] hostTicks() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 9) {
        return null;
      }
      long[] v = new long[8];
      for (int i = 0; i < 8; i++) {
        v[i] = Long.parseLong(f[i + 1]);
      }
      long busy = v[0] + v[1] + v[2] + v[5] + v[6];
      long total = 0;
      for (long x : v) {
        total += x;
      }
      return new long[] {busy, total};
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * CPU milliseconds this JVM's JIT compiler threads have used so far (Linux's {@code
   * /proc/self/task}: user and system time of the threads named {@code C1 CompilerThre…} and
   * {@code C2 CompilerThre…}), or -1 where unknown. Compiler threads that have ended are not
   * counted, so this is a lower bound.
   */
  private static long jitMillis() {
    long ticks = 0;
    try (var dirs = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) dirs::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (java.io.IOException gone) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          String[] f = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  static double mb(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
  }

  private static long cpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }
}
