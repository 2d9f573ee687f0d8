package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who a message is from: the contact (incoming), an agent or bot (outgoing), the system (activity), or a template. */
public enum MessageType implements Wire {
  INCOMING("incoming"),
  OUTGOING("outgoing"),
  ACTIVITY("activity"),
  TEMPLATE("template");

  private final String wireName;

  MessageType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static MessageType of(String wireName) {
    return Wire.parse(MessageType.class, wireName);
  }
}
