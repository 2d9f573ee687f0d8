package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.ValidationException;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.SenderType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorsAndTemplatesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void cursorsRoundTripAndForeignCursorsAreRefused() {
    assertThat(Cursors.decodeId(Cursors.encodeId(123))).isEqualTo(123);
    long[] p = Cursors.decodePosition(Cursors.encodePosition(NOW, 9));
    assertThat(p).containsExactly(NOW.toEpochMilli(), 9);
    assertThatThrownBy(() -> Cursors.decodeId(Cursors.encodePosition(NOW, 9)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Cursors.decodeId("%%%")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Cursors.limit(0)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Cursors.limit(201)).isInstanceOf(ValidationException.class);
  }

  @Test
  void templateVariablesAreRenderedAndUnknownOnesKept() {
    Contact contact = new Contact(1, 1, "Dana Scully", "dana@fbi.test", "+1555", null,
        ContactType.CUSTOMER, null, null, false, null, NOW, NOW);
    Conversation conversation = new Conversation(1, 1, 1, 1, 1, "u-1", 17,
        ConversationStatus.OPEN, null, null, null, List.of(), null, null, null, NOW, Map.of(),
        Map.of(), NOW, NOW);
    Inbox inbox = new Inbox(1, 1, "Support", ChannelType.API, null, Map.of(), false, false,
        false, null, false, NOW, NOW);
    String out = Templates.render("Hi {{contact.first_name}} ({{ contact.email }}), "
        + "{{agent.name}} on #{{conversation.id}} in {{inbox.name}} {{contact.unknown}} $1",
        contact, new Actor(SenderType.USER, 2L, "Fox"), conversation, inbox);
    assertThat(out).isEqualTo(
        "Hi Dana (dana@fbi.test), Fox on #17 in Support {{contact.unknown}} $1");
  }

  @Test
  void hmacComparesInConstantTimeAndNullNeverMatches() {
    String sig = Hmac.sha256Hex("secret", "1700000000.{}");
    assertThat(sig).hasSize(64);
    assertThat(Hmac.constantTimeEquals(sig, Hmac.sha256Hex("secret", "1700000000.{}"))).isTrue();
    assertThat(Hmac.constantTimeEquals(sig, Hmac.sha256Hex("other", "1700000000.{}"))).isFalse();
    assertThat(Hmac.constantTimeEquals(null, null)).isFalse();
  }

  @Test
  void passwordsAreSaltedAndVerified() {
    String a = Passwords.hash("hunter2".toCharArray());
    String b = Passwords.hash("hunter2".toCharArray());
    assertThat(a).isNotEqualTo(b).doesNotContain("hunter2");
    assertThat(Passwords.verify("hunter2".toCharArray(), a)).isTrue();
    assertThat(Passwords.verify("hunter3".toCharArray(), a)).isFalse();
    assertThat(Passwords.verify("x".toCharArray(), "garbage")).isFalse();
  }
}
