package io.switchboard.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsInToStringTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void anInboxPrintsItsSettingNamesButNeverTheirValues() {
    Inbox inbox = new Inbox(1, 2, "WA", ChannelType.WHATSAPP, "123",
        Map.of("access_token", "EAAG-very-secret", "app_secret", "shh"), false, false, false,
        null, false, NOW, NOW);
    assertThat(inbox.toString()).contains("access_token", "app_secret")
        .doesNotContain("EAAG-very-secret").doesNotContain("shh");
  }

  @Test
  void aMessagePrintsNoContent() {
    Message m = new Message(1, 2, 3, 4, MessageType.INCOMING, ContentType.TEXT,
        "my card number is 4111", Map.of(), false, MessageStatus.SENT, "x", SenderType.CONTACT,
        5L, List.of(), NOW, NOW);
    assertThat(m.toString()).doesNotContain("4111").contains("incoming");
  }

  @Test
  void aContactInboxPrintsNoPubsubToken() {
    ContactInbox ci = new ContactInbox(1, 2, 3, 4, "src", "token-abc-123", false, NOW);
    assertThat(ci.toString()).doesNotContain("token-abc-123");
  }

  @Test
  void contactEmailsAreStoredLowerCaseAndTrimmed() {
    Contact c = new Contact(1, 2, " ", " Dana@Example.TEST ", null, null, ContactType.LEAD,
        null, null, false, null, NOW, NOW);
    assertThat(c.email()).isEqualTo("dana@example.test");
    assertThat(c.name()).isNull();
    assertThat(c.displayName()).isEqualTo("dana@example.test");
  }
}
