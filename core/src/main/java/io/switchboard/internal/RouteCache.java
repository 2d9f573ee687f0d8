package io.switchboard.internal;

import io.switchboard.model.ChannelType;
import io.switchboard.store.RoutedInbox;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The inboxes that webhooks' routing keys found lately, kept for a second: a burst of
 * deliveries to one inbox reads it once instead of once per delivery. Only found inboxes are
 * kept (an inbox created a moment ago routes at once), and only the inbox: whether its events
 * have webhooks or an agent bot to be queued for is asked in the transaction that processes
 * them (see {@link WriteTx#knownInbox}), so that a webhook created on another node never
 * misses events. A change of any inbox committed on this node empties the cache (see {@link
 * Engine}); one committed on another node is seen here within the second.
 */
final class RouteCache {
  static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int MAX_ENTRIES = 10_000;

  private record Key(ChannelType type, String routingKey) {}

  private record Entry(RoutedInbox route, long until) {}

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final LongSupplier nanoTime;

  RouteCache(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** The route found for the key less than a second ago, if any and if nothing changed since. */
  Optional<RoutedInbox> get(ChannelType type, String routingKey) {
    Entry e = entries.get(new Key(type, routingKey));
    if (e == null || e.until() - nanoTime.getAsLong() <= 0) {
      return Optional.empty();
    }
    return Optional.of(e.route());
  }

  /** Read before looking a route up; pass it to {@link #put}. */
  long generation() {
    return generation.get();
  }

  /**
   * Keeps a route looked up since {@code generation} was read, unless an inbox changed
   * meanwhile (the route may then be from before the change).
   */
  void put(ChannelType type, String routingKey, RoutedInbox route, long generation) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(new Key(type, routingKey), new Entry(route, nanoTime.getAsLong() + TTL_NANOS));
    if (this.generation.get() != generation) {
      entries.remove(new Key(type, routingKey));
    }
  }

  /** Forgets every route: an inbox changed. */
  void clear() {
    generation.incrementAndGet();
    entries.clear();
  }
}
