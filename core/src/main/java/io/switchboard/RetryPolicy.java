package io.switchboard;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How background work (async listeners, sends) is retried: exponential backoff from
 * {@code initialDelay}, doubling up to {@code maxDelay}, with random jitter, for at most
 * {@code maxAttempts} attempts.
 *
 * @param maxAttempts attempts before giving up, at least 1
 * @param initialDelay the delay after the first failure
 * @param maxDelay the longest delay
 * @param jitter the random share added or removed, 0 to 1
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double jitter) {

  /** 12 attempts from 2 seconds up to 10 minutes apart, ±20 %: about an hour in all. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(12, Duration.ofSeconds(2), Duration.ofMinutes(10), 0.2);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be within 0 and 1, was " + jitter);
    }
  }

  /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
  public Duration delayAfter(int attempt) {
    double base = initialDelay.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
    double capped = Math.min(base, maxDelay.toMillis());
    double spread = capped * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
    return Duration.ofMillis(Math.max(1, Math.round(capped + spread)));
  }

  /** Whether another attempt follows {@code attempt} failed ones. */
  public boolean allowsAnother(int attempt) {
    return attempt < maxAttempts;
  }
}
