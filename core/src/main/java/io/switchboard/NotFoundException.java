package io.switchboard;

/**
 * An entity does not exist in the account the call was made for. Entities of other accounts
 * are reported as not found, never as forbidden, so that ids reveal nothing.
 */
public class NotFoundException extends SwitchboardException {
  private final String entity;
  private final String key;

  public NotFoundException(String entity, long accountId, Object key) {
    super(entity + " " + key + " not found in account " + accountId);
    this.entity = entity;
    this.key = String.valueOf(key);
  }

  /** The kind of entity, for example {@code conversation}. */
  public String entity() {
    return entity;
  }

  /** The id or key that was looked up. */
  public String key() {
    return key;
  }
}
