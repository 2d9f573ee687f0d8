package io.switchboard;

import io.switchboard.model.ConversationStatus;
import java.util.Collection;
import java.util.Set;

/**
 * Which conversations to list. Every field is optional; null (or empty) means no filter on it.
 *
 * @param statuses only these statuses
 * @param inboxId only this inbox
 * @param assigneeId only conversations assigned to this agent
 * @param teamId only conversations of this team
 * @param label only conversations with this label
 * @param unassigned only conversations without an assignee
 * @param inboxIds only these inboxes (an agent's inboxes); null means all of the account
 */
public record ConversationFilter(Set<ConversationStatus> statuses, Long inboxId, Long assigneeId,
    Long teamId, String label, boolean unassigned, Set<Long> inboxIds) {

  public ConversationFilter {
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    inboxIds = inboxIds == null ? null : Set.copyOf(inboxIds);
    if (unassigned && assigneeId != null) {
      throw new ValidationException("assigneeId", "cannot filter for an assignee and unassigned");
    }
  }

  /** No filter: every conversation of the account. */
  public static ConversationFilter all() {
    return new ConversationFilter(null, null, null, null, null, false, null);
  }

  public ConversationFilter withStatuses(ConversationStatus... values) {
    return new ConversationFilter(Set.of(values), inboxId, assigneeId, teamId, label, unassigned, inboxIds);
  }

  public ConversationFilter withInbox(long value) {
    return new ConversationFilter(statuses, value, assigneeId, teamId, label, unassigned, inboxIds);
  }

  public ConversationFilter withAssignee(long value) {
    return new ConversationFilter(statuses, inboxId, value, teamId, label, false, inboxIds);
  }

  public ConversationFilter withTeam(long value) {
    return new ConversationFilter(statuses, inboxId, assigneeId, value, label, unassigned, inboxIds);
  }

  public ConversationFilter withLabel(String value) {
    return new ConversationFilter(statuses, inboxId, assigneeId, teamId, value, unassigned, inboxIds);
  }

  public ConversationFilter onlyUnassigned() {
    return new ConversationFilter(statuses, inboxId, null, teamId, label, true, inboxIds);
  }

  public ConversationFilter withinInboxes(Collection<Long> values) {
    return new ConversationFilter(statuses, inboxId, assigneeId, teamId, label, unassigned, Set.copyOf(values));
  }
}
