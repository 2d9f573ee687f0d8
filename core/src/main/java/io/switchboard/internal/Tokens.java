package io.switchboard.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Unguessable identifiers. */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Tokens() {}

  /** A random URL-safe token of {@code bytes} random bytes. */
  public static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A random (version 4) UUID, from a cryptographic source. */
  public static String uuid() {
    return UUID.randomUUID().toString();
  }
}
