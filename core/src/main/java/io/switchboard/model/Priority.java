package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The priority of a conversation; a conversation without priority has none (null). */
public enum Priority implements Wire {
  LOW("low"),
  MEDIUM("medium"),
  HIGH("high"),
  URGENT("urgent");

  private final String wireName;

  Priority(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static Priority of(String wireName) {
    return Wire.parse(Priority.class, wireName);
  }
}
