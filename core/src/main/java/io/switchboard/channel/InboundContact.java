package io.switchboard.channel;

import java.util.Map;
import java.util.Objects;

/**
 * The sender of an inbound message as the provider describes it.
 *
 * <p>The sender is known by its {@code sourceId} in the inbox or, when the host submits a
 * message through the API channel without one, by its {@code identifier} alone: the message
 * then goes to the account's contact with that identifier (created when there is none) and to
 * its contact inbox in this inbox, which is created with a random, unguessable source id the
 * first time.
 *
 * @param sourceId the sender's id at the provider (WhatsApp {@code wa_id}, Telegram user id,
 *     email address, API or widget UUID); becomes the contact inbox's source id. Null only
 *     with an {@code identifier}
 * @param name the display name, or null
 * @param email the email address, or null
 * @param phoneNumber the phone number, or null
 * @param identifier the host's own id for the person, or null
 * @param additionalAttributes extra facts (username, language…)
 */
public record InboundContact(String sourceId, String name, String email, String phoneNumber,
    String identifier, Map<String, Object> additionalAttributes) {

  public InboundContact {
    if (sourceId == null && (identifier == null || identifier.isBlank())) {
      throw new IllegalArgumentException("a sourceId or an identifier is required");
    }
    if (sourceId != null && sourceId.isBlank()) {
      throw new IllegalArgumentException("sourceId must not be blank");
    }
    additionalAttributes = additionalAttributes == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additionalAttributes));
  }

  /**
   * A contact known by the host's identifier only (no source id): matched by identifier in
   * the account.
   */
  public static InboundContact byIdentifier(String identifier, String name) {
    Objects.requireNonNull(identifier, "identifier");
    return new InboundContact(null, name, null, null, identifier, Map.of());
  }

  /** A contact known only by its source id and name. */
  public static InboundContact of(String sourceId, String name) {
    return new InboundContact(sourceId, name, null, null, null, Map.of());
  }
}
