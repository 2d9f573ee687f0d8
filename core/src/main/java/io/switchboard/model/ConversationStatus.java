package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The status of a conversation, as in Chatwoot. */
public enum ConversationStatus implements Wire {
  OPEN("open"),
  RESOLVED("resolved"),
  PENDING("pending"),
  SNOOZED("snoozed");

  private final String wireName;

  ConversationStatus(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static ConversationStatus of(String wireName) {
    return Wire.parse(ConversationStatus.class, wireName);
  }
}
