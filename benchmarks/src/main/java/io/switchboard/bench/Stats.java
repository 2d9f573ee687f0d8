package io.switchboard.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency samples in nanoseconds; thread-safe to add to, read once at the end. */
final class Stats {
  private long[] samples = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  /** p50, p99 and max in milliseconds, with the sample count. */
  synchronized Map<String, Object> summary() {
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", size);
    out.put("p50_ms", ms(percentile(sorted, 0.50)));
    out.put("p99_ms", ms(percentile(sorted, 0.99)));
    out.put("max_ms", ms(size == 0 ? 0 : sorted[size - 1]));
    return out;
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
