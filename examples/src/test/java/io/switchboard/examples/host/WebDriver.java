package io.switchboard.examples.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.internal.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A small W3C WebDriver client for Debian's chromedriver and headless Chromium: just what the
 * browser tests need. Everything stays on loopback.
 */
final class WebDriver implements AutoCloseable {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final String base;
  private final OkHttpClient http = new OkHttpClient.Builder()
      .readTimeout(60, TimeUnit.SECONDS).build();

  static boolean available() {
    return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
  }

  WebDriver() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
          break;
        }
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
      }
      Thread.sleep(100);
    }
  }

  private JsonNode call(String method, String path, JsonNode body) throws IOException {
    Request.Builder r = new Request.Builder().url(base + path);
    r.method(method, body == null ? (method.equals("POST") ? RequestBody.create(new byte[0]) : null)
        : RequestBody.create(body.toString(), MediaType.get("application/json")));
    try (Response response = http.newCall(r.build()).execute()) {
      JsonNode answer = Json.tree(response.body().string());
      if (!response.isSuccessful()) {
        throw new IOException("WebDriver " + method + " " + path + ": " + answer.path("value"));
      }
      return answer;
    }
  }

  /** A new headless browser window. */
  Browser open() throws IOException {
    ObjectNode caps = Json.mapper().createObjectNode();
    ObjectNode chrome = caps.putObject("capabilities").putObject("alwaysMatch")
        .put("browserName", "chrome").putObject("goog:chromeOptions");
    chrome.put("binary", CHROMIUM.toString());
    var args = chrome.putArray("args");
    for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--no-first-run", "--window-size=1200,800")) {
      args.add(a);
    }
    String id = call("POST", "/session", caps).path("value").path("sessionId").asText();
    return new Browser("/session/" + id);
  }

  @Override
  public void close() {
    driver.destroy();
  }

  /** One browser session. */
  final class Browser implements AutoCloseable {
    private final String session;

    private Browser(String session) {
      this.session = session;
    }

    /** Runs {@code source} in every new document before the page's own scripts. */
    void beforeEveryPage(String source) throws IOException {
      ObjectNode body = Json.mapper().createObjectNode()
          .put("cmd", "Page.addScriptToEvaluateOnNewDocument");
      body.putObject("params").put("source", source);
      call("POST", session + "/goog/cdp/execute", body);
    }

    void go(String url) throws IOException {
      call("POST", session + "/url", Json.mapper().createObjectNode().put("url", url));
    }

    JsonNode script(String source) throws IOException {
      ObjectNode body = Json.mapper().createObjectNode().put("script", source);
      body.putArray("args");
      return call("POST", session + "/execute/sync", body).path("value");
    }

    private String element(String css) throws IOException {
      ObjectNode body = Json.mapper().createObjectNode().put("using", "css selector")
          .put("value", css);
      return call("POST", session + "/element", body).path("value").path(ELEMENT).asText();
    }

    void click(String css) throws Exception {
      waitFor("'" + css + "' to be shown", () -> script("var e = document.querySelector("
          + Json.mapper().writeValueAsString(css) + "); return !!e && e.getClientRects().length > 0;")
          .asBoolean());
      call("POST", session + "/element/" + element(css) + "/click",
          Json.mapper().createObjectNode());
    }

    void type(String css, String text) throws Exception {
      click(css);
      call("POST", session + "/element/" + element(css) + "/value",
          Json.mapper().createObjectNode().put("text", text));
    }

    /** The text of the first element matching {@code css}, or "" when there is none. */
    String text(String css) throws IOException {
      return script("var e = document.querySelector(" + Json.mapper().writeValueAsString(css)
          + "); return e ? e.textContent : '';").asText();
    }

    /**
     * From now on, remembers whether the text of {@code css} ever contains {@code needle}, so
     * that a short-lived text (a typing indicator) is not missed between two polls.
     */
    void watchFor(String css, String needle) throws IOException {
      String key = Json.mapper().writeValueAsString(css + "|" + needle);
      script("var e = document.querySelector(" + Json.mapper().writeValueAsString(css) + ");"
          + "window.__seen = window.__seen || {}; window.__seen[" + key + "] = false;"
          + "var check = function () { if (e.textContent.indexOf("
          + Json.mapper().writeValueAsString(needle) + ") >= 0) { window.__seen[" + key
          + "] = true; } };"
          + "new MutationObserver(check).observe(e, {childList: true, characterData: true,"
          + " subtree: true}); check();");
    }

    /** Waits until {@link #watchFor} has seen its text. */
    void waitForSeen(String css, String needle, String what) throws Exception {
      String key = Json.mapper().writeValueAsString(css + "|" + needle);
      waitFor(what, () -> script("return !!(window.__seen && window.__seen[" + key + "]);")
          .asBoolean());
    }

    /** Waits until the text of {@code css} satisfies {@code condition}. */
    void waitForText(String css, Predicate<String> condition, String what) throws Exception {
      waitFor(what, () -> condition.test(text(css)));
    }

    void screenshot(Path file) throws IOException {
      String png = call("GET", session + "/screenshot", null).path("value").asText();
      Files.write(file, java.util.Base64.getDecoder().decode(png));
    }

    @Override
    public void close() throws IOException {
      call("DELETE", session, null);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
