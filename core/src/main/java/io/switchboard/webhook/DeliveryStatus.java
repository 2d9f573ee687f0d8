package io.switchboard.webhook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.model.Wire;

/** Where a delivery stands. */
public enum DeliveryStatus implements Wire {
  /** Not yet delivered; retried while the retry policy allows. */
  PENDING("pending"),
  /** The receiver answered 2xx. */
  DELIVERED("delivered"),
  /** Given up: a 4xx other than 408/429, a refused address, or retries exhausted. */
  FAILED("failed");

  private final String wireName;

  DeliveryStatus(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static DeliveryStatus of(String wireName) {
    return Wire.parse(DeliveryStatus.class, wireName);
  }
}
