package io.switchboard.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The delivery status of a message. Statuses only move forward ({@code sent < delivered <
 * read}); {@code failed} can replace {@code sent} but never a delivered or read message, and
 * only {@code delivered} or {@code read} can replace {@code failed}.
 */
public enum MessageStatus implements Wire {
  SENT("sent", 0),
  DELIVERED("delivered", 1),
  READ("read", 2),
  FAILED("failed", 0);

  private final String wireName;
  private final int rank;

  MessageStatus(String wireName, int rank) {
    this.wireName = wireName;
    this.rank = rank;
  }

  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /**
   * Whether a message in this status may move to {@code next}. A repeated, late or
   * out-of-order provider callback never moves a status back.
   */
  public boolean canMoveTo(MessageStatus next) {
    if (next == this) {
      return false;
    }
    if (next == FAILED) {
      return this == SENT;
    }
    if (this == FAILED) {
      // a provider can report delivery after an uncertain failure; accept that progress, but a
      // late or repeated "sent" never hides the failure
      return next.rank > SENT.rank;
    }
    return next.rank > rank;
  }

  @JsonCreator
  public static MessageStatus of(String wireName) {
    return Wire.parse(MessageStatus.class, wireName);
  }
}
