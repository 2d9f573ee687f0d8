package io.switchboard.model;

/**
 * An enum constant with the lower-case name it has on the wire, in the database and in
 * Chatwoot-shaped payloads.
 */
public interface Wire {
  /** The wire name, for example {@code "incoming"} or {@code "web_widget"}. */
  String wireName();

  /**
   * Finds the constant of {@code type} whose wire name is {@code name}.
   *
   * @throws IllegalArgumentException listing the accepted names when none matches
   */
  static <E extends Enum<E> & Wire> E parse(Class<E> type, String name) {
    for (E e : type.getEnumConstants()) {
      if (e.wireName().equals(name)) {
        return e;
      }
    }
    StringBuilder accepted = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      accepted.append(accepted.length() == 0 ? "" : ", ").append(e.wireName());
    }
    throw new IllegalArgumentException(
        "unknown " + type.getSimpleName() + " '" + name + "'; expected one of " + accepted);
  }
}
