package io.switchboard.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.switchboard.SwitchboardException;
import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON codec: snake_case names, ISO-8601 times, unknown fields ignored, whole numbers
 * in untyped maps read as {@code Long}.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      // ids in attribute maps are longs; read back, they must not turn into Integers
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private Json() {}

  /** The shared mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SwitchboardException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SwitchboardException("cannot read " + type.getSimpleName() + " from JSON", e);
    }
  }

  public static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SwitchboardException("malformed JSON", e);
    }
  }

  public static Map<String, Object> readMap(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new SwitchboardException("malformed JSON object", e);
    }
  }

  public static Map<String, String> readStringMap(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return MAPPER.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new SwitchboardException("malformed JSON object", e);
    }
  }

  /** Serialises an event for the log; the sequence is not part of the payload. */
  public static String writeEvent(Event event) {
    return writeEvent(event, false);
  }

  /** An event as real-time clients receive it: {@link #writeEvent} plus its {@code sequence}. */
  public static String writeEventForClient(Event event) {
    return writeEvent(event, true);
  }

  // written field by field in one pass: every message costs one or more of these
  private static String writeEvent(Event event, boolean withSequence) {
    java.io.StringWriter out = new java.io.StringWriter(512);
    try (com.fasterxml.jackson.core.JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", event.id());
      g.writeStringField("type", event.type().wireName());
      g.writeNumberField("account_id", event.accountId());
      if (event.inboxId() != null) {
        g.writeNumberField("inbox_id", event.inboxId());
      }
      if (event.conversationId() != null) {
        g.writeNumberField("conversation_id", event.conversationId());
      }
      g.writeFieldName("data");
      g.writeObject(event.data());
      g.writeFieldName("changed_attributes");
      g.writeObject(event.changedAttributes());
      g.writeFieldName("performer");
      g.writeObject(event.performer());
      g.writeStringField("occurred_at", event.occurredAt().toString());
      if (withSequence) {
        g.writeNumberField("sequence", event.sequence());
      }
      g.writeEndObject();
    } catch (java.io.IOException e) {
      throw new SwitchboardException("cannot serialise an event", e);
    }
    return out.toString();
  }

  /** Reads an event written by {@link #writeEvent}, with its log sequence. */
  public static Event readEvent(String payload, long sequence) {
    try {
      JsonNode node = MAPPER.readTree(payload);
      EventType type = EventType.of(node.get("type").asText());
      Map<String, Change> changes = new LinkedHashMap<>();
      JsonNode changed = node.get("changed_attributes");
      if (changed != null) {
        changed.fields().forEachRemaining(f -> changes.put(f.getKey(),
            MAPPER.convertValue(f.getValue(), Change.class)));
      }
      return new Event(
          node.get("id").asText(),
          sequence,
          type,
          node.get("account_id").asLong(),
          node.hasNonNull("inbox_id") ? node.get("inbox_id").asLong() : null,
          node.hasNonNull("conversation_id") ? node.get("conversation_id").asLong() : null,
          MAPPER.treeToValue(node.get("data"), type.entityType()),
          changes,
          MAPPER.treeToValue(node.get("performer"), Actor.class),
          Instant.parse(node.get("occurred_at").asText()));
    } catch (JsonProcessingException e) {
      throw new SwitchboardException("cannot read event #" + sequence, e);
    }
  }
}
