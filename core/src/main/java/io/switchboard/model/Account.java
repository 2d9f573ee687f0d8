package io.switchboard.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The tenant. Every other entity belongs to exactly one account and is only reachable through
 * calls made for that account.
 *
 * @param id the account id
 * @param name the display name
 * @param locale the default locale of the account, for example {@code en}
 * @param createdAt when the account was created
 */
public record Account(long id, String name, String locale, Instant createdAt) {
  public Account {
    Values.require(name, "name");
    locale = locale == null ? "en" : locale;
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
