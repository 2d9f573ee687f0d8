package io.switchboard;

import io.switchboard.model.ContactType;
import java.util.Map;

/**
 * Fields to create a contact with, or to change. On an update a null field is left as it is;
 * attribute maps are merged key by key (a null value removes the key).
 *
 * @param name the display name
 * @param email the email, unique per account (case-insensitive)
 * @param phoneNumber the phone number
 * @param identifier the host's own id, unique per account
 * @param contactType visitor, lead or customer
 * @param additionalAttributes channel facts
 * @param customAttributes the account's attributes
 * @param blocked whether the contact is blocked
 */
public record ContactDraft(String name, String email, String phoneNumber, String identifier,
    ContactType contactType, Map<String, Object> additionalAttributes,
    Map<String, Object> customAttributes, Boolean blocked) {

  /** An empty draft, to fill with the {@code with…} methods. */
  public static ContactDraft empty() {
    return new ContactDraft(null, null, null, null, null, null, null, null);
  }

  public ContactDraft withName(String v) {
    return new ContactDraft(v, email, phoneNumber, identifier, contactType, additionalAttributes, customAttributes, blocked);
  }

  public ContactDraft withEmail(String v) {
    return new ContactDraft(name, v, phoneNumber, identifier, contactType, additionalAttributes, customAttributes, blocked);
  }

  public ContactDraft withPhoneNumber(String v) {
    return new ContactDraft(name, email, v, identifier, contactType, additionalAttributes, customAttributes, blocked);
  }

  public ContactDraft withIdentifier(String v) {
    return new ContactDraft(name, email, phoneNumber, v, contactType, additionalAttributes, customAttributes, blocked);
  }

  public ContactDraft withContactType(ContactType v) {
    return new ContactDraft(name, email, phoneNumber, identifier, v, additionalAttributes, customAttributes, blocked);
  }

  public ContactDraft withAdditionalAttributes(Map<String, Object> v) {
    return new ContactDraft(name, email, phoneNumber, identifier, contactType, v, customAttributes, blocked);
  }

  public ContactDraft withCustomAttributes(Map<String, Object> v) {
    return new ContactDraft(name, email, phoneNumber, identifier, contactType, additionalAttributes, v, blocked);
  }

  public ContactDraft withBlocked(boolean v) {
    return new ContactDraft(name, email, phoneNumber, identifier, contactType, additionalAttributes, customAttributes, v);
  }
}
