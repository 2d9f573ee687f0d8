package io.switchboard.internal;

import io.switchboard.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Opaque pagination cursors. */
public final class Cursors {
  /** The largest page a listing returns. */
  public static final int MAX_LIMIT = 200;

  private Cursors() {}

  public static int limit(int requested) {
    if (requested < 1 || requested > MAX_LIMIT) {
      throw new ValidationException("limit", "must be between 1 and " + MAX_LIMIT
          + ", was " + requested);
    }
    return requested;
  }

  public static String encodeId(long id) {
    return encode("i" + id);
  }

  public static long decodeId(String cursor) {
    String s = decode(cursor);
    try {
      if (s.startsWith("i")) {
        return Long.parseLong(s.substring(1));
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new ValidationException("cursor", "is not a cursor of this listing");
  }

  public static String encodePosition(Instant at, long id) {
    return encode("p" + at.toEpochMilli() + ":" + id);
  }

  /** Returns {@code {epochMillis, id}}. */
  public static long[] decodePosition(String cursor) {
    String s = decode(cursor);
    try {
      if (s.startsWith("p")) {
        String[] parts = s.substring(1).split(":");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
      }
    } catch (RuntimeException e) {
      // fall through
    }
    throw new ValidationException("cursor", "is not a cursor of this listing");
  }

  private static String encode(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ValidationException("cursor", "is not a cursor of this listing");
    }
  }
}
