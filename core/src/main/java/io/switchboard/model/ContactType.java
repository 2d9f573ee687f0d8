package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How far a contact has been identified: anonymous visitor, lead, or known customer. */
public enum ContactType implements Wire {
  VISITOR("visitor"),
  LEAD("lead"),
  CUSTOMER("customer");

  private final String wireName;

  ContactType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this wire name; the error lists the accepted names. */
  @JsonCreator
  public static ContactType of(String wireName) {
    return Wire.parse(ContactType.class, wireName);
  }
}
