package io.switchboard.model;

import static io.switchboard.model.MessageStatus.DELIVERED;
import static io.switchboard.model.MessageStatus.FAILED;
import static io.switchboard.model.MessageStatus.READ;
import static io.switchboard.model.MessageStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageStatusTest {
  @Test
  void statusesOnlyMoveForward() {
    assertThat(SENT.canMoveTo(DELIVERED)).isTrue();
    assertThat(SENT.canMoveTo(READ)).isTrue();
    assertThat(DELIVERED.canMoveTo(READ)).isTrue();
    assertThat(READ.canMoveTo(DELIVERED)).isFalse();
    assertThat(DELIVERED.canMoveTo(SENT)).isFalse();
    assertThat(READ.canMoveTo(READ)).isFalse();
  }

  @Test
  void failedReplacesOnlySentAndIsNeverUndoneByALateSent() {
    assertThat(SENT.canMoveTo(FAILED)).isTrue();
    assertThat(DELIVERED.canMoveTo(FAILED)).isFalse();
    assertThat(READ.canMoveTo(FAILED)).isFalse();
    assertThat(FAILED.canMoveTo(SENT)).isFalse();
    assertThat(FAILED.canMoveTo(DELIVERED)).isTrue();
  }

  @Test
  void anUnknownWireNameListsTheAcceptedOnes() {
    assertThat(MessageStatus.of("read")).isEqualTo(READ);
    assertThatThrownBy(() -> MessageStatus.of("seen"))
        .hasMessageContaining("'seen'").hasMessageContaining("sent, delivered, read, failed");
  }
}
