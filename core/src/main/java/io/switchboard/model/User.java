package io.switchboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A person who works conversations: an agent or administrator of one or more accounts (see
 * {@link AccountUser}).
 *
 * @param id the user id
 * @param name the display name used in activity messages ("Assigned to Bob by Anna")
 * @param email the sign-in email, unique across the installation
 * @param createdAt when the user was created
 */
public record User(long id, String name, String email, Instant createdAt) {
  public User {
    Values.require(name, "name");
    Values.require(email, "email");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
