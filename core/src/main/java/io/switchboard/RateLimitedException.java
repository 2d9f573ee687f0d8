package io.switchboard;

/** Too many messages in one conversation within a minute (the flood limit). */
public class RateLimitedException extends SwitchboardException {
  private final long conversationId;
  private final int limit;

  public RateLimitedException(long conversationId, int limit) {
    super("too many messages: conversation " + conversationId + " reached the limit of "
        + limit + " messages per minute");
    this.conversationId = conversationId;
    this.limit = limit;
  }

  public long conversationId() {
    return conversationId;
  }

  public int limit() {
    return limit;
  }
}
