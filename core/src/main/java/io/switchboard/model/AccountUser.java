package io.switchboard.model;

import java.util.Objects;

/**
 * A user's membership of an account, with the role the user has there.
 *
 * @param accountId the account
 * @param userId the user
 * @param role administrator or agent
 */
public record AccountUser(long accountId, long userId, Role role) {
  public AccountUser {
    Objects.requireNonNull(role, "role");
  }
}
