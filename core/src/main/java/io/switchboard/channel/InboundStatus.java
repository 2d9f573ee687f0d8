package io.switchboard.channel;

import io.switchboard.model.MessageStatus;
import java.util.Objects;

/**
 * A provider's status update for a message Switchboard sent.
 *
 * @param messageSourceId the provider's id of the message (its {@code source_id})
 * @param status delivered, read, sent or failed
 * @param error the provider's error for {@code failed} (code, title, details), else null
 */
public record InboundStatus(String messageSourceId, MessageStatus status, String error)
    implements InboundEvent {

  public InboundStatus {
    Objects.requireNonNull(messageSourceId, "messageSourceId");
    Objects.requireNonNull(status, "status");
    if (status == MessageStatus.FAILED && (error == null || error.isBlank())) {
      throw new IllegalArgumentException("a failed status must carry the provider's error");
    }
  }
}
