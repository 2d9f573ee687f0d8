package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who created a message or performed a change. */
public enum SenderType implements Wire {
  USER("user"),
  CONTACT("contact"),
  AGENT_BOT("agent_bot"),
  SYSTEM("system");

  private final String wireName;

  SenderType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static SenderType of(String wireName) {
    return Wire.parse(SenderType.class, wireName);
  }
}
