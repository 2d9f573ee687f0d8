package io.switchboard.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LruCacheTest {
  @Test
  void keepsAtMostItsCapacityDroppingTheLeastRecentlyUsed() {
    LruCache<Long, Long> cache = new LruCache<>(2);
    cache.put(1L, 10L);
    cache.put(2L, 20L);
    assertThat(cache.get(1L)).isEqualTo(10L);
    cache.put(3L, 30L);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(2L)).isNull();
    assertThat(cache.get(1L)).isEqualTo(10L);
    assertThat(cache.get(3L)).isEqualTo(30L);
    for (long i = 0; i < 10_000; i++) {
      cache.put(i, i);
    }
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> new LruCache<>(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
