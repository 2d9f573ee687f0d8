package io.switchboard.channel.email;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.safety.Safelist;
import org.jsoup.select.NodeVisitor;

/** HTML mail bodies: readable text, and sanitized HTML that is safe to show an agent. */
final class HtmlText {
  private static final Set<String> BLOCKS = Set.of("p", "div", "h1", "h2", "h3", "h4", "h5",
      "h6", "ul", "ol", "li", "table", "tr", "blockquote", "pre", "hr", "section", "article",
      "header", "footer", "address");
  private static final Safelist SAFE = Safelist.relaxed()
      .addProtocols("img", "src", "cid", "data")
      .addAttributes(":all", "dir")
      .preserveRelativeLinks(false);

  private HtmlText() {}

  /** The text a reader sees: scripts, styles and the head dropped, blocks on their own lines. */
  static String toText(String html) {
    Document doc = Jsoup.parse(html);
    doc.select("script, style, head, noscript, template, title").remove();
    StringBuilder out = new StringBuilder();
    doc.body().traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode t) {
          String text = t.text();
          if (!text.isBlank() || (out.length() > 0 && out.charAt(out.length() - 1) != '\n')) {
            out.append(text.replace('\u00a0', ' '));
          }
        } else if (node instanceof Element e) {
          if (e.normalName().equals("br")) {
            out.append('\n');
          } else if (BLOCKS.contains(e.normalName())) {
            newline(out);
            if (e.normalName().equals("li")) {
              out.append("- ");
            }
          }
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element e && BLOCKS.contains(e.normalName())) {
          newline(out);
        } else if (node instanceof Element e && e.normalName().equals("td")) {
          out.append(' ');
        }
      }
    });
    return tidy(out.toString());
  }

  /** The HTML with everything active removed (scripts, styles, event handlers, forms). */
  static String sanitize(String html) {
    return Jsoup.clean(html, SAFE);
  }

  private static void newline(StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
  }

  /** Trims each line, collapses runs of blank lines to one and trims the whole. */
  static String tidy(String text) {
    StringBuilder out = new StringBuilder();
    int blank = 0;
    for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
      String l = line.replaceAll("[ \\t\\u00a0]+", " ").strip();
      if (l.isEmpty()) {
        blank++;
        continue;
      }
      if (out.length() > 0) {
        out.append(blank > 0 ? "\n\n" : "\n");
      }
      blank = 0;
      out.append(l);
    }
    return out.toString();
  }
}
