package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The shape of a message's content, with Chatwoot's names. */
public enum ContentType implements Wire {
  TEXT("text"),
  INPUT_TEXT("input_text"),
  INPUT_TEXTAREA("input_textarea"),
  INPUT_EMAIL("input_email"),
  INPUT_SELECT("input_select"),
  CARDS("cards"),
  FORM("form"),
  ARTICLE("article"),
  INCOMING_EMAIL("incoming_email"),
  INPUT_CSAT("input_csat"),
  INTEGRATIONS("integrations"),
  STICKER("sticker"),
  UNSUPPORTED("unsupported");

  private final String wireName;

  ContentType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static ContentType of(String wireName) {
    return Wire.parse(ContentType.class, wireName);
  }
}
