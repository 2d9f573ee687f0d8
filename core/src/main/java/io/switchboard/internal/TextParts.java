package io.switchboard.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text that is too long for one provider message into parts that each fit, for the
 * channels whose providers limit a message's length (Telegram and WhatsApp: 4,096
 * characters).
 */
public final class TextParts {
  private static final List<String> SEPARATORS = List.of("\n\n", "\n", " ");

  private TextParts() {}

  /**
   * {@code text} in parts of at most {@code max} characters (UTF-16 units), cut at a
   * paragraph, line or word boundary in the second half of a part when there is one, else
   * hard, but never inside a surrogate pair. The whitespace at a cut is dropped, and no part is empty. A text that
   * fits is one part, itself.
   *
   * @throws IllegalArgumentException when {@code max} is less than 2
   */
  public static List<String> split(String text, int max) {
    if (max < 2) {
      throw new IllegalArgumentException("max must be at least 2, got " + max);
    }
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.length() > max) {
      int cut = boundary(rest, max);
      String part = rest.substring(0, cut).stripTrailing();
      if (!part.isEmpty()) {
        parts.add(part);
      }
      rest = rest.substring(cut).stripLeading();
    }
    if (!rest.isEmpty() || parts.isEmpty()) {
      parts.add(rest);
    }
    return parts;
  }

  private static int boundary(String text, int max) {
    for (String separator : SEPARATORS) {
      int at = text.lastIndexOf(separator, max - separator.length());
      if (at > max / 2) {
        return at + separator.length();
      }
    }
    int cut = max;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return cut;
  }
}
