package io.switchboard;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SwitchboardBuilderTest {

  @Test
  void aNegativeFloodLimitIsRefused() {
    assertThatThrownBy(() -> Switchboard.builder().floodLimit(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floodLimit");
  }

  @Test
  void poolsAndIntervalsAreChecked() {
    assertThatThrownBy(() -> Switchboard.builder().workerThreads(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workerThreads");
    assertThatThrownBy(() -> Switchboard.builder().workerExecutor(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("workerExecutor");
    assertThatThrownBy(() -> Switchboard.builder().scheduler(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("scheduler");
    assertThatThrownBy(() -> Switchboard.builder().snoozeCheckInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snoozeCheckInterval");
  }

  @Test
  void aStoreIsRequired() {
    assertThatThrownBy(() -> Switchboard.builder().build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("store");
  }
}
