package io.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void delaysDoubleWithinTheirJitterUpToTheCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
    for (int i = 0; i < 50; i++) {
      assertThat(p.delayAfter(1).toMillis()).isBetween(800L, 1200L);
      assertThat(p.delayAfter(3).toMillis()).isBetween(3200L, 4800L);
      assertThat(p.delayAfter(9).toMillis()).isBetween(24_000L, 36_000L);
    }
  }

  @Test
  void theLastAttemptAllowsNoOther() {
    RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), 0);
    assertThat(p.allowsAnother(2)).isTrue();
    assertThat(p.allowsAnother(3)).isFalse();
  }

  @Test
  void nonsenseIsRefusedWithTheValue() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0))
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 2))
        .hasMessageContaining("jitter");
  }
}
