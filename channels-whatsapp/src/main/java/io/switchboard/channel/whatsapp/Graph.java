package io.switchboard.channel.whatsapp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** JSON and signature helpers shared by the parser, sender and media download. */
final class Graph {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Graph() {}

  /** The text of {@code node.field}, or null when it is missing, null or not a value. */
  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  /** An object node as a map (whole numbers as longs), or an empty map. */
  static Map<String, Object> map(JsonNode node) {
    return node == null || !node.isObject() ? Map.of() : JSON.convertValue(node, MAP);
  }

  /**
   * A Meta error object ({@code code}, {@code title}, {@code message},
   * {@code error_data.details}) as {@code "code: title — details"}.
   */
  static String describeError(JsonNode error) {
    String code = text(error, "code");
    String title = text(error, "title");
    if (title == null) {
      title = text(error, "message");
    }
    String details = text(error.path("error_data"), "details");
    if (details == null && text(error, "message") != null
        && !text(error, "message").equals(title)) {
      details = text(error, "message");
    }
    StringBuilder s = new StringBuilder();
    s.append(code == null ? "unknown" : code).append(": ")
        .append(title == null ? "unknown error" : title);
    if (details != null && !details.isBlank()) {
      s.append(" — ").append(details);
    }
    return s.toString();
  }
}
