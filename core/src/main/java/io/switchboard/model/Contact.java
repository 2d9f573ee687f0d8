package io.switchboard.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A customer. Email (case-insensitive) and identifier are unique within an account.
 *
 * @param id the contact id
 * @param accountId the account
 * @param name the display name, may be null
 * @param email the email address, stored lower-case, may be null
 * @param phoneNumber the phone number in E.164 form, may be null
 * @param identifier the host application's own id for this person, may be null
 * @param contactType visitor, lead or customer
 * @param additionalAttributes channel-provided facts (username, language, city…)
 * @param customAttributes the account's own attributes
 * @param blocked a blocked contact's messages are stored but never reopen a conversation, and
 *     its first conversation starts resolved; the web widget refuses its messages (403)
 * @param lastActivityAt the time of the contact's last incoming message, may be null
 * @param createdAt when the contact was created
 * @param updatedAt when the contact was last changed
 */
public record Contact(
    long id,
    long accountId,
    String name,
    String email,
    String phoneNumber,
    String identifier,
    ContactType contactType,
    Map<String, Object> additionalAttributes,
    Map<String, Object> customAttributes,
    boolean blocked,
    Instant lastActivityAt,
    Instant createdAt,
    Instant updatedAt) {

  public Contact {
    name = Values.blankToNull(name);
    email = email == null || email.isBlank() ? null : email.strip().toLowerCase(java.util.Locale.ROOT);
    phoneNumber = Values.blankToNull(phoneNumber);
    identifier = Values.blankToNull(identifier);
    Objects.requireNonNull(contactType, "contactType");
    additionalAttributes = Values.copy(additionalAttributes);
    customAttributes = Values.copy(customAttributes);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A name to show: the name, else the email, else the phone number, else the identifier. */
  public String displayName() {
    if (name != null) {
      return name;
    }
    if (email != null) {
      return email;
    }
    return phoneNumber != null ? phoneNumber : identifier != null ? identifier : "Contact " + id;
  }
}
