package io.switchboard;

/** The root of every exception Switchboard throws. Unchecked. */
public class SwitchboardException extends RuntimeException {
  public SwitchboardException(String message) {
    super(message);
  }

  public SwitchboardException(String message, Throwable cause) {
    super(message, cause);
  }
}
