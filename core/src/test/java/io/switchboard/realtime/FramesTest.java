package io.switchboard.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.internal.Json;
import io.switchboard.model.Actor;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.Priority;
import io.switchboard.model.SenderType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramesTest {
  static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
  static final Actor ANNA = new Actor(SenderType.USER, 9L, "Anna");

  static Conversation conversation() {
    return new Conversation(3, 1, 2, 4, 5, "c-uuid", 1, ConversationStatus.OPEN, Priority.HIGH,
        9L, 6L, List.of("vip"), null, null, null, NOW, Map.of("browser", "Firefox"),
        Map.of("plan", "gold"), NOW, NOW);
  }

  static Message reply() {
    return new Message(7, 1, 2, 3, MessageType.OUTGOING, ContentType.INPUT_SELECT, "Which size?",
        Map.of("items", List.of(Map.of("title", "S", "value", "s")), "external_error", "boom"),
        false, MessageStatus.SENT, "wamid.1", SenderType.USER, 9L, List.of(), NOW, NOW);
  }

  @Test
  void eachAudiencesFrameIsWrittenOncePerEvent() {
    Event e = new Event("e-1", 11, EventType.MESSAGE_CREATED, 1, 2L, 3L, reply(), Map.of(), ANNA,
        NOW);

    assertThat(Frames.forAgent(e)).isSameAs(Frames.forAgent(e));
    assertThat(Frames.forContact(e)).isSameAs(Frames.forContact(e));
    Event next = new Event("e-2", 12, EventType.MESSAGE_CREATED, 1, 2L, 3L, reply(), Map.of(),
        ANNA, NOW);
    assertThat(Json.tree(Frames.forContact(next)).get("sequence").asLong()).isEqualTo(12);
  }

  @Test
  void aContactFrameKeepsWhatTheWidgetShowsAndNothingAgentOnly() {
    Event message = new Event("e-1", 11, EventType.MESSAGE_CREATED, 1, 2L, 3L, reply(), Map.of(),
        ANNA, NOW);
    Event resolved = new Event("e-2", 12, EventType.CONVERSATION_RESOLVED, 1, 2L, 3L,
        conversation(), Map.of("status", new io.switchboard.event.Change("open", "resolved")),
        ANNA, NOW);

    var m = Json.tree(Frames.forContact(message));
    assertThat(m.get("data").get("content").asText()).isEqualTo("Which size?");
    assertThat(m.get("data").get("content_attributes").get("items")).hasSize(1);
    assertThat(m.get("data").get("content_attributes").has("external_error")).isFalse();
    assertThat(m.get("data").has("source_id")).isFalse();
    assertThat(m.get("performer").toString()).isEqualTo("{\"type\":\"user\"}");

    String c = Frames.forContact(resolved);
    assertThat(Json.tree(c).get("data").get("status").asText()).isEqualTo("open");
    assertThat(c).doesNotContain("vip", "gold", "Firefox", "high", "assignee", "team",
        "changed_attributes", "account_id");
    assertThat(Frames.forAgent(resolved)).contains("vip", "gold", "assignee_id");
  }

  @Test
  void aContactFrameIsRefusedForAnAgentOnlyEvent() {
    Event assigned = new Event("e-3", 13, EventType.ASSIGNEE_CHANGED, 1, 2L, 3L, conversation(),
        Map.of(), ANNA, NOW);
    assertThatThrownBy(() -> Frames.forContact(assigned))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
