package io.switchboard.channel.telegram;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Agent markdown to Telegram's HTML {@code parse_mode}: {@code **bold**}, {@code _italic_} or
 * {@code *italic*}, {@code ~~strike~~}, {@code `code`}, and {@code [text](https://link)}.
 * Everything else is escaped ({@code < > &}), so no agent text can inject markup.
 */
final class TelegramHtml {
  /** Telegram's limit for one text message. */
  static final int MAX_TEXT = 4096;
  /** Telegram's limit for a media caption. */
  static final int MAX_CAPTION = 1024;

  private static final Pattern INLINE = Pattern.compile(
      "`([^`\\n]+)`"                                          // 1 code
      + "|\\*\\*(.+?)\\*\\*"                                  // 2 bold
      + "|~~(.+?)~~"                                          // 3 strike
      + "|\\[([^\\]\\n]+)\\]\\((https?://[^)\\s]+)\\)"        // 4 text, 5 url
      + "|(?<![\\w*])\\*([^*\\n]+?)\\*(?![\\w*])"             // 6 italic
      + "|(?<![\\w])_([^_\\n]+?)_(?![\\w])");                 // 7 italic

  private TelegramHtml() {}

  /** Escapes text for Telegram HTML. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Renders agent markdown as Telegram HTML. */
  static String render(String markdown) {
    return inline(escape(markdown));
  }

  private static String inline(String escaped) {
    Matcher m = INLINE.matcher(escaped);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(escaped, last, m.start());
      if (m.group(1) != null) {
        out.append("<code>").append(m.group(1)).append("</code>");
      } else if (m.group(2) != null) {
        out.append("<b>").append(inline(m.group(2))).append("</b>");
      } else if (m.group(3) != null) {
        out.append("<s>").append(inline(m.group(3))).append("</s>");
      } else if (m.group(4) != null) {
        out.append("<a href=\"").append(m.group(5).replace("\"", "&quot;")).append("\">")
            .append(inline(m.group(4))).append("</a>");
      } else {
        String inner = m.group(6) != null ? m.group(6) : m.group(7);
        out.append("<i>").append(inline(inner)).append("</i>");
      }
      last = m.end();
    }
    out.append(escaped, last, escaped.length());
    return out.toString();
  }
}
