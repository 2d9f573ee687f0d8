package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An agent's role in an account. Administrators see every inbox of the account. */
public enum Role implements Wire {
  ADMINISTRATOR("administrator"),
  AGENT("agent");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static Role of(String wireName) {
    return Wire.parse(Role.class, wireName);
  }
}
