package io.switchboard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
  private final long wallStart = System.nanoTime();
  private final Thread sampler;
  private volatile boolean running = true;
  private long cpuEnd;
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
    wallEnd = System.nanoTime();
    sampler.interrupt();
  }

  /** {@code heap_peak_mb}, {@code heap_after_gc_mb} and {@code cpu_cores} (CPU time / wall time). */
  Map<String, Object> summary() {
    close();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("heap_peak_mb", mb(peak.get()));
    out.put("heap_after_gc_mb", mb(usedAfterGc()));
    double cores = (cpuEnd - cpuStart) / (double) Math.max(1, wallEnd - wallStart);
    out.put("cpu_cores", Math.round(cores * 100) / 100.0);
    return out;
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
