package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.ContentType;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void anEventSurvivesTheOutboxWithItsEntityChangesAndLongIds() {
    Instant now = Instant.parse("2026-11-24T10:15:30.123Z");
    Message m = new Message(7, 1, 2, 3, MessageType.OUTGOING, ContentType.TEXT, "hi",
        Map.of("in_reply_to", 5L), false, MessageStatus.DELIVERED, "wamid.1", SenderType.USER,
        9L, List.of(), now, now);
    Event e = new Event("id-1", 0, EventType.MESSAGE_UPDATED, 1, 2L, 3L, m,
        Map.of("status", new Change("sent", "delivered"), "assignee_id", new Change(null, 4L)),
        new Actor(SenderType.USER, 9L, "Anna"), now);

    Event back = Json.readEvent(Json.writeEvent(e), 42);

    assertThat(back.sequence()).isEqualTo(42);
    assertThat(back.message()).isEqualTo(m);
    assertThat(back.message().contentAttributes().get("in_reply_to")).isEqualTo(5L);
    assertThat(back.changedAttributes()).isEqualTo(e.changedAttributes());
    assertThat(back.performer()).isEqualTo(e.performer());
    assertThat(back.occurredAt()).isEqualTo(now);
    assertThat(back.id()).isEqualTo("id-1");
  }

  @Test
  void theLogPayloadAndTheClientFrameHaveTheirFieldsInOrderAndOnlyTheFrameHasTheSequence() {
    Instant now = Instant.parse("2026-11-24T10:15:30.123Z");
    Message m = new Message(7, 1, 2, 3, MessageType.INCOMING, ContentType.TEXT, "caf\u00e9 \"ok\"",
        Map.of(), false, MessageStatus.SENT, "wamid.1", SenderType.CONTACT, 9L, List.of(), now,
        now);
    Event e = new Event("id-1", 57, EventType.MESSAGE_CREATED, 1, null, 3L, m, Map.of(),
        Actor.system(), now);

    String log = Json.writeEvent(e);
    String client = Json.writeEventForClient(e);

    assertThat(log).startsWith("{\"id\":\"id-1\",\"type\":\"message.created\",\"account_id\":1,"
        + "\"conversation_id\":3,\"data\":{\"id\":7,").doesNotContain("inbox_id\":null")
        .doesNotContain("\"sequence\"")
        .contains("\"content\":\"caf\u00e9 \\\"ok\\\"\"")
        .contains("\"changed_attributes\":{},\"performer\":{")
        .endsWith(",\"occurred_at\":\"2026-11-24T10:15:30.123Z\"}");
    assertThat(client).isEqualTo(log.substring(0, log.length() - 1) + ",\"sequence\":57}");
    assertThat(Json.tree(client).get("data").get("source_id").asText()).isEqualTo("wamid.1");
  }
}
