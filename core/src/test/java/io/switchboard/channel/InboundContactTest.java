package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundContactTest {

  @Test
  void aContactNeedsASourceIdOrAnIdentifier() {
    assertThatThrownBy(() -> new InboundContact(null, "Dana", "dana@example.test", null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sourceId or an identifier");
    assertThatThrownBy(() -> new InboundContact(null, "Dana", null, null, " ", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InboundContact.of(" ", "Dana"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sourceId must not be blank");
  }

  @Test
  void aContactByIdentifierHasNoSourceId() {
    InboundContact who = InboundContact.byIdentifier("user-42", "Dana");
    assertThat(who.sourceId()).isNull();
    assertThat(who.identifier()).isEqualTo("user-42");
    assertThat(who.name()).isEqualTo("Dana");
  }
}
