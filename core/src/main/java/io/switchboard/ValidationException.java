package io.switchboard;

/** A request was refused because a value is invalid; the message says which and why. */
public class ValidationException extends SwitchboardException {
  private final String field;

  public ValidationException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The offending field, for example {@code content} or {@code attachments}. */
  public String field() {
    return field;
  }
}
