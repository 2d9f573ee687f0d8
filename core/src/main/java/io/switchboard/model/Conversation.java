package io.switchboard.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A thread between a contact and the agents of one inbox.
 *
 * @param id the internal id
 * @param accountId the account
 * @param inboxId the inbox
 * @param contactId the contact
 * @param contactInboxId the contact's identity in the inbox
 * @param uuid a random, unguessable id for public use (widget, email threading)
 * @param displayId 1, 2, 3… per account: the number agents see
 * @param status open, resolved, pending or snoozed
 * @param priority the priority, or null for none
 * @param assigneeId the assigned agent, or null
 * @param teamId the assigned team, or null
 * @param labels the labels, sorted, without duplicates
 * @param snoozedUntil when a snoozed conversation reopens by itself, or null
 * @param waitingSince since when the contact waits for an agent's reply, or null
 * @param firstReplyCreatedAt when the first agent reply was sent, or null
 * @param lastActivityAt when the last message was created
 * @param additionalAttributes channel facts such as the Telegram chat id or the email subject
 * @param customAttributes the account's own attributes
 * @param createdAt when the conversation was created
 * @param updatedAt when it was last changed
 */
public record Conversation(
    long id,
    long accountId,
    long inboxId,
    long contactId,
    long contactInboxId,
    String uuid,
    long displayId,
    ConversationStatus status,
    Priority priority,
    Long assigneeId,
    Long teamId,
    List<String> labels,
    Instant snoozedUntil,
    Instant waitingSince,
    Instant firstReplyCreatedAt,
    Instant lastActivityAt,
    Map<String, Object> additionalAttributes,
    Map<String, Object> customAttributes,
    Instant createdAt,
    Instant updatedAt) {

  public Conversation {
    Values.require(uuid, "uuid");
    Objects.requireNonNull(status, "status");
    labels = labels == null ? List.of() : List.copyOf(new java.util.TreeSet<>(labels));
    Objects.requireNonNull(lastActivityAt, "lastActivityAt");
    additionalAttributes = Values.copy(additionalAttributes);
    customAttributes = Values.copy(customAttributes);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A builder that starts from this conversation, for the services' updates. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copies a conversation with some fields changed. */
  public static final class Builder {
    private final Conversation base;
    private ConversationStatus status;
    private Priority priority;
    private Long assigneeId;
    private Long teamId;
    private List<String> labels;
    private Instant snoozedUntil;
    private Instant waitingSince;
    private Instant firstReplyCreatedAt;
    private Instant lastActivityAt;
    private Long contactId;
    private Map<String, Object> additionalAttributes;
    private Map<String, Object> customAttributes;
    private Instant updatedAt;

    private Builder(Conversation c) {
      base = c;
      status = c.status;
      priority = c.priority;
      assigneeId = c.assigneeId;
      teamId = c.teamId;
      labels = c.labels;
      snoozedUntil = c.snoozedUntil;
      waitingSince = c.waitingSince;
      firstReplyCreatedAt = c.firstReplyCreatedAt;
      lastActivityAt = c.lastActivityAt;
      contactId = c.contactId;
      additionalAttributes = c.additionalAttributes;
      customAttributes = c.customAttributes;
      updatedAt = c.updatedAt;
    }

    public Builder status(ConversationStatus v) { status = v; return this; }
    public Builder priority(Priority v) { priority = v; return this; }
    public Builder assigneeId(Long v) { assigneeId = v; return this; }
    public Builder teamId(Long v) { teamId = v; return this; }
    public Builder labels(List<String> v) { labels = v; return this; }
    public Builder snoozedUntil(Instant v) { snoozedUntil = v; return this; }
    public Builder waitingSince(Instant v) { waitingSince = v; return this; }
    public Builder firstReplyCreatedAt(Instant v) { firstReplyCreatedAt = v; return this; }
    public Builder lastActivityAt(Instant v) { lastActivityAt = v; return this; }
    public Builder contactId(long v) { contactId = v; return this; }
    public Builder additionalAttributes(Map<String, Object> v) { additionalAttributes = v; return this; }
    public Builder customAttributes(Map<String, Object> v) { customAttributes = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }

    public Conversation build() {
      return new Conversation(base.id, base.accountId, base.inboxId, contactId,
          base.contactInboxId, base.uuid, base.displayId, status, priority, assigneeId, teamId,
          labels, snoozedUntil, waitingSince, firstReplyCreatedAt, lastActivityAt,
          additionalAttributes, customAttributes, base.createdAt, updatedAt);
    }
  }
}
