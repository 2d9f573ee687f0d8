package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kind of file or structured item attached to a message. */
public enum AttachmentType implements Wire {
  IMAGE("image"),
  AUDIO("audio"),
  VIDEO("video"),
  FILE("file"),
  LOCATION("location"),
  CONTACT("contact"),
  STICKER("sticker"),
  FALLBACK("fallback");

  private final String wireName;

  AttachmentType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static AttachmentType of(String wireName) {
    return Wire.parse(AttachmentType.class, wireName);
  }
}
