package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.store.RoutedInbox;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteCacheTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final RouteCache cache = new RouteCache(clock::get);

  @Test
  void keepsAFoundRouteForLessThanASecond() {
    RoutedInbox route = route(1);
    cache.put(ChannelType.WHATSAPP, "phone-1", route, cache.generation());

    assertThat(cache.get(ChannelType.WHATSAPP, "phone-1")).contains(route);
    assertThat(cache.get(ChannelType.TELEGRAM, "phone-1")).isEmpty();
    assertThat(cache.get(ChannelType.WHATSAPP, "phone-2")).isEmpty();

    clock.addAndGet(RouteCache.TTL_NANOS - 1);
    assertThat(cache.get(ChannelType.WHATSAPP, "phone-1")).contains(route);
    clock.addAndGet(1);
    assertThat(cache.get(ChannelType.WHATSAPP, "phone-1")).isEmpty();
  }

  @Test
  void aChangeForgetsEveryRouteAndRefusesOnesLookedUpBeforeIt() {
    cache.put(ChannelType.WHATSAPP, "phone-1", route(1), cache.generation());
    long before = cache.generation();

    cache.clear();
    assertThat(cache.get(ChannelType.WHATSAPP, "phone-1")).isEmpty();
    // a lookup that began before the change may have read the old inbox: it is not kept
    cache.put(ChannelType.WHATSAPP, "phone-2", route(2), before);
    assertThat(cache.get(ChannelType.WHATSAPP, "phone-2")).isEmpty();

    cache.put(ChannelType.WHATSAPP, "phone-2", route(2), cache.generation());
    assertThat(cache.get(ChannelType.WHATSAPP, "phone-2")).isPresent();
  }

  private static RoutedInbox route(long id) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new RoutedInbox(new Inbox(id, 1, "Support", ChannelType.WHATSAPP, "phone-" + id,
        Map.of(), false, true, false, null, false, t, t), false, false);
  }
}
