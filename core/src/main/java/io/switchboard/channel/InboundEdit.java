package io.switchboard.channel;

import java.time.Instant;
import java.util.Objects;

/**
 * The sender edited a message it sent earlier.
 *
 * @param messageSourceId the provider's id of the edited message
 * @param content the new text
 * @param editedAt when the provider says the edit was made, or null when it does not say; an
 *     edit not newer than the last one applied (a redelivery, a re-fetched batch) is ignored,
 *     so that an older edit never replaces a newer one
 */
public record InboundEdit(String messageSourceId, String content, Instant editedAt)
    implements InboundEvent {
  public InboundEdit {
    Objects.requireNonNull(messageSourceId, "messageSourceId");
  }

  /** An edit without the provider's edit time. */
  public InboundEdit(String messageSourceId, String content) {
    this(messageSourceId, content, null);
  }

  @Override
  public String toString() {
    return "InboundEdit[messageSourceId=" + messageSourceId + ", editedAt=" + editedAt + "]";
  }
}
