package io.switchboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A contact's identity in one inbox. Unique by {@code (inboxId, sourceId)}.
 *
 * @param id the contact inbox id
 * @param accountId the account
 * @param contactId the contact
 * @param inboxId the inbox
 * @param sourceId the contact's id at the provider: WhatsApp {@code wa_id}, Telegram user id,
 *     email address, widget or API UUID
 * @param pubsubToken a random, unguessable token a contact's real-time client subscribes with
 * @param hmacVerified whether the contact's identity was verified with the inbox's HMAC
 * @param createdAt when it was created
 * @param blockedAt when a send was refused because the contact blocks messages from this inbox
 *     (Telegram: the user blocked the bot), or null; cleared when the contact writes again or
 *     a later send goes through
 */
public record ContactInbox(
    long id,
    long accountId,
    long contactId,
    long inboxId,
    String sourceId,
    String pubsubToken,
    boolean hmacVerified,
    Instant createdAt,
    Instant blockedAt) {

  public ContactInbox {
    Values.require(sourceId, "sourceId");
    Values.require(pubsubToken, "pubsubToken");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A contact inbox that is not blocked. */
  public ContactInbox(long id, long accountId, long contactId, long inboxId, String sourceId,
      String pubsubToken, boolean hmacVerified, Instant createdAt) {
    this(id, accountId, contactId, inboxId, sourceId, pubsubToken, hmacVerified, createdAt,
        null);
  }

  /** A copy with {@code blockedAt} set, or cleared with null. */
  public ContactInbox withBlockedAt(Instant value) {
    return new ContactInbox(id, accountId, contactId, inboxId, sourceId, pubsubToken,
        hmacVerified, createdAt, value);
  }

  /** Prints no pubsub token: it is a credential. */
  @Override
  public String toString() {
    return "ContactInbox[id=" + id + ", accountId=" + accountId + ", contactId=" + contactId
        + ", inboxId=" + inboxId + ", hmacVerified=" + hmacVerified + ", blockedAt=" + blockedAt
        + "]";
  }
}
