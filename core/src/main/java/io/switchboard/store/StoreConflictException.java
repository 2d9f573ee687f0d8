package io.switchboard.store;

import io.switchboard.SwitchboardException;

/**
 * A transaction lost a race: a unique constraint was violated, a deadlock or serialization
 * failure occurred, or a lock could not be had in time. The whole transaction is rolled back
 * and core runs it again, where it will find what the other transaction committed.
 */
public class StoreConflictException extends SwitchboardException {
  public StoreConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
