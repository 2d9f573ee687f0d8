package io.switchboard;

/**
 * A visitor whose identity was not verified asked for a change that only a verified one may
 * make: to take the identity of a verified contact, or to change a verified contact.
 */
public class VerificationRequiredException extends SwitchboardException {
  public VerificationRequiredException(String message) {
    super(message);
  }
}
