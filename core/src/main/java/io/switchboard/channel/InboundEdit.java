package io.switchboard.channel;

import java.util.Objects;

/**
 * The sender edited a message it sent earlier.
 *
 * @param messageSourceId the provider's id of the edited message
 * @param content the new text
 */
public record InboundEdit(String messageSourceId, String content) implements InboundEvent {
  public InboundEdit {
    Objects.requireNonNull(messageSourceId, "messageSourceId");
  }

  @Override
  public String toString() {
    return "InboundEdit[messageSourceId=" + messageSourceId + "]";
  }
}
