package io.switchboard.channel.email;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Separates the new text of a reply from the quoted history below it. Recognises Gmail's
 * {@code On <date>, <name> wrote:} (also wrapped over two lines, and Apple Mail's
 * {@code On <date>, at <time>, <name> wrote:}), Outlook's header block ({@code From:} then
 * {@code Sent:}/{@code Date:}, or {@code -----Original Message-----}) and a trailing block of
 * {@code >} quoted lines.
 */
final class QuoteSplitter {
  private static final List<Pattern> MARKERS = List.of(
      // Gmail and Apple Mail, possibly wrapped over two lines
      Pattern.compile("^[ \\t]*On [^\\n]{1,300}(?:\\n[^\\n]{0,300})?wrote:[ \\t]*$",
          Pattern.MULTILINE),
      Pattern.compile("^[ \\t]*Le [^\\n]{1,300}(?:\\n[^\\n]{1,300})?a écrit\\s?:[ \\t]*$",
          Pattern.MULTILINE),
      Pattern.compile("^[ \\t]*Am [^\\n]{1,300}(?:\\n[^\\n]{1,300})?schrieb[^\\n]{0,100}:[ \\t]*$",
          Pattern.MULTILINE),
      // Outlook
      Pattern.compile("^[ \\t]*-{3,}[ \\t]*Original Message[ \\t]*-{3,}", Pattern.MULTILINE
          | Pattern.CASE_INSENSITIVE),
      Pattern.compile("^[ \\t]*_{10,}[ \\t]*\\n[ \\t]*From:", Pattern.MULTILINE),
      Pattern.compile("^[ \\t]*\\*?From:\\*?[ \\t]+[^\\n]+\\n[ \\t]*\\*?(?:Sent|Date):\\*?[ \\t]+",
          Pattern.MULTILINE));

  private QuoteSplitter() {}

  /** The new text of {@code text}, or the whole text when no quote is found before it. */
  static String reply(String text) {
    if (text == null) {
      return null;
    }
    String normalized = text.replace("\r\n", "\n");
    int cut = trailingQuote(normalized);
    for (Pattern p : MARKERS) {
      Matcher m = p.matcher(normalized);
      if (m.find() && m.start() < cut) {
        cut = m.start();
      }
    }
    String reply = HtmlText.tidy(normalized.substring(0, cut));
    return reply.isEmpty() ? HtmlText.tidy(normalized) : reply;
  }

  /**
   * Where the trailing block of quoted lines starts: the first of the last lines that all
   * begin with {@code >} or are blank, counting from a line that begins with {@code >}; the
   * text's length when it does not end in such a block. One pass back from the end, so that
   * a quote of any length costs no stack (a regular expression repeating a group per line
   * recurses once per line).
   */
  private static int trailingQuote(String text) {
    int cut = text.length();
    int end = text.length();
    while (true) {
      int start = text.lastIndexOf('\n', end - 1) + 1;
      if (start < end && text.charAt(start) == '>') {
        cut = start;
      } else if (!blank(text, start, end)) {
        return cut;
      }
      if (start == 0) {
        return cut;
      }
      end = start - 1;
    }
  }

  private static boolean blank(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }
}
