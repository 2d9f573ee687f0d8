package io.switchboard.channel.widget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The embeddable widget script, for the host to serve as a static resource (for example at
 * {@code /widget.js}, with {@code Content-Type: text/javascript; charset=utf-8}).
 *
 * <p>A page embeds it with:
 * <pre>{@code
 * <script>
 *   window.switchboardSettings = { baseUrl: "https://support.example", websiteToken: "…" };
 * </script>
 * <script async src="https://support.example/widget.js"></script>
 * }</pre>
 */
public final class WidgetAssets {
  /** The script's classpath resource. */
  public static final String SCRIPT_RESOURCE = "/io/switchboard/channel/widget/widget.js";
  /** The content type to serve the script with. */
  public static final String SCRIPT_CONTENT_TYPE = "text/javascript; charset=utf-8";
  private static volatile String script;

  private WidgetAssets() {}

  /** The widget script's text (read once from the classpath). */
  public static String script() {
    String s = script;
    if (s == null) {
      try (InputStream in = WidgetAssets.class.getResourceAsStream(SCRIPT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the widget script " + SCRIPT_RESOURCE
              + " is not on the classpath");
        }
        s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the widget script", e);
      }
      script = s;
    }
    return s;
  }
}
