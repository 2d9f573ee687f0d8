package io.switchboard.channel;

import java.util.Map;
import java.util.Objects;

/**
 * The sender of an inbound message as the provider describes it.
 *
 * @param sourceId the sender's id at the provider (WhatsApp {@code wa_id}, Telegram user id,
 *     email address, API or widget UUID); becomes the contact inbox's source id
 * @param name the display name, or null
 * @param email the email address, or null
 * @param phoneNumber the phone number, or null
 * @param identifier the host's own id for the person, or null
 * @param additionalAttributes extra facts (username, language…)
 */
public record InboundContact(String sourceId, String name, String email, String phoneNumber,
    String identifier, Map<String, Object> additionalAttributes) {

  public InboundContact {
    Objects.requireNonNull(sourceId, "sourceId");
    if (sourceId.isBlank()) {
      throw new IllegalArgumentException("sourceId must not be blank");
    }
    additionalAttributes = additionalAttributes == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additionalAttributes));
  }

  /** A contact known only by its source id and name. */
  public static InboundContact of(String sourceId, String name) {
    return new InboundContact(sourceId, name, null, null, null, Map.of());
  }
}
