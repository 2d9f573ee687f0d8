package io.switchboard.model;

import java.util.Objects;

/**
 * Who performed a change: an agent, a contact, an agent bot or the system. Used as the
 * performer of events and as the author named in activity messages.
 *
 * @param type the kind of actor
 * @param id the user, contact or bot id; null for the system
 * @param name the name used in activity messages
 */
public record Actor(SenderType type, Long id, String name) {
  private static final Actor SYSTEM = new Actor(SenderType.SYSTEM, null, "System");

  public Actor {
    Objects.requireNonNull(type, "type");
    name = name == null ? type.wireName() : name;
  }

  /** The system itself (automations, timers, provider callbacks). */
  public static Actor system() {
    return SYSTEM;
  }

  /** An agent or administrator. */
  public static Actor user(User user) {
    return new Actor(SenderType.USER, user.id(), user.name());
  }

  /** A contact. */
  public static Actor contact(Contact contact) {
    return new Actor(SenderType.CONTACT, contact.id(), contact.displayName());
  }
}
