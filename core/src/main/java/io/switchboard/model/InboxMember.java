package io.switchboard.model;

/**
 * An agent who works an inbox. Agents see the conversations of the inboxes they are members
 * of; administrators see the whole account.
 *
 * @param accountId the account of the inbox
 * @param inboxId the inbox
 * @param userId the agent
 */
public record InboxMember(long accountId, long inboxId, long userId) {}
