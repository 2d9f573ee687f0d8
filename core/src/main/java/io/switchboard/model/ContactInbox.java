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
 */
public record ContactInbox(
    long id,
    long accountId,
    long contactId,
    long inboxId,
    String sourceId,
    String pubsubToken,
    boolean hmacVerified,
    Instant createdAt) {

  public ContactInbox {
    Values.require(sourceId, "sourceId");
    Values.require(pubsubToken, "pubsubToken");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Prints no pubsub token: it is a credential. */
  @Override
  public String toString() {
    return "ContactInbox[id=" + id + ", accountId=" + accountId + ", contactId=" + contactId
        + ", inboxId=" + inboxId + ", hmacVerified=" + hmacVerified + "]";
  }
}
