package io.switchboard;

/** A value that must be unique in the account is already taken (an email, an identifier). */
public class ConflictException extends SwitchboardException {
  public ConflictException(String message) {
    super(message);
  }
}
