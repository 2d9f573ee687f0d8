package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of channel an inbox is connected to. */
public enum ChannelType implements Wire {
  API("api"),
  WHATSAPP("whatsapp"),
  TELEGRAM("telegram"),
  EMAIL("email"),
  WEB_WIDGET("web_widget");

  private final String wireName;

  ChannelType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static ChannelType of(String wireName) {
    return Wire.parse(ChannelType.class, wireName);
  }
}
