package io.switchboard.channel.widget;

import io.switchboard.internal.Hmac;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Visitor tokens: {@code <contactInboxId>.<expiresAtEpochSeconds>.<hex HMAC-SHA256>} where
 * the HMAC, keyed with the inbox's {@code token_secret}, covers
 * {@code "<inboxId>.<contactInboxId>.<expiresAt>"}.
 */
final class VisitorTokens {
  private VisitorTokens() {}

  static String issue(String secret, long inboxId, long contactInboxId, Instant expiresAt) {
    long exp = expiresAt.getEpochSecond();
    return contactInboxId + "." + exp + "." + Hmac.sha256Hex(secret, inboxId + "." + contactInboxId + "." + exp);
  }

  /** The contact inbox id of a valid, unexpired token, or empty. */
  static OptionalLong verify(String secret, long inboxId, String token, Instant now) {
    if (token == null || token.length() > 200) {
      return OptionalLong.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return OptionalLong.empty();
    }
    long id;
    long exp;
    try {
      id = Long.parseLong(parts[0]);
      exp = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
    String expected = Hmac.sha256Hex(secret, inboxId + "." + id + "." + exp);
    if (!Hmac.constantTimeEquals(expected, parts[2]) || now.getEpochSecond() >= exp) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(id);
  }
}
