package io.switchboard.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart host in a real browser (Debian's headless Chromium): a visitor chats through
 * the widget on the demo page while a signed-in agent answers from the console, both without
 * reloading; typing shows on both sides; markup is shown as text; the visitor's socket is
 * dropped and restored and the replies sent meanwhile arrive by replay over the socket; a
 * visitor whose token was revoked gets a new session, with a socket of its own. Outside CI it
 * is skipped when Chromium is not installed; in CI it must run.
 */
class WidgetBrowserTest {
  /**
   * Lets the test close the page's sockets and hold reconnects, before any page script runs;
   * records each socket's frames ({@code __frames}) and counts the widget's reads of the
   * message list over HTTP ({@code __listReads}), so that the test can tell replay from re-read.
   */
  private static final String SOCKET_SWITCH = """
      (function () {
        var Native = window.WebSocket;
        window.__sockets = [];
        window.__offline = false;
        window.__listReads = 0;
        var nativeFetch = window.fetch;
        window.fetch = function (url, options) {
          var get = !options || !options.method || options.method === 'GET';
          if (get && String(url).indexOf('/widget/messages') >= 0) { window.__listReads++; }
          return nativeFetch.apply(this, arguments);
        };
        function Switchable(url, protocols) {
          var s = new Native(window.__offline ? 'ws://127.0.0.1:9/offline' : url, protocols);
          s.__url = url;
          s.__frames = [];
          s.addEventListener('message', function (m) { s.__frames.push(m.data); });
          window.__sockets.push(s);
          return s;
        }
        Switchable.prototype = Native.prototype;
        Switchable.CONNECTING = 0; Switchable.OPEN = 1; Switchable.CLOSING = 2; Switchable.CLOSED = 3;
        window.WebSocket = Switchable;
      })();
      """;

  @TempDir
  Path dir;
  QuickstartHost host;
  WebDriver driver;
  String base;

  @BeforeEach
  void start() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!ci) {
      Assumptions.assumeTrue(WebDriver.available(),
          "Chromium and chromedriver are not installed: apt-get install -y chromium chromium-driver");
    }
    host = QuickstartHost.start(dir, 0, new PrintStream(new ByteArrayOutputStream()));
    base = "http://127.0.0.1:" + host.port();
    driver = new WebDriver();
  }

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.close();
    }
    if (host != null) {
      host.close();
    }
  }

  @Test
  void aVisitorAndAnAgentChatLiveAndRepliesSentWhileTheVisitorWasOfflineArrive() throws Exception {
    try (WebDriver.Browser agent = driver.open(); WebDriver.Browser visitor = driver.open()) {
      agent.go(base + "/");
      agent.type("#password", QuickstartHost.PASSWORD);
      agent.click("#login button");
      agent.waitForText("#socket", "live"::equals, "the console's socket");
      agent.waitForText("#conversations", t -> t.contains("#1"), "the seeded conversation");

      visitor.beforeEveryPage(SOCKET_SWITCH);
      visitor.go(base + "/demo");
      visitor.click("#sbw-launcher");
      // opening the widget tells the inbox's bot and webhooks: webwidget.triggered
      long accountId = host.switchboard().admin().accounts().get(0).id();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(host.switchboard().events(accountId, 0, 1000)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(io.switchboard.event.EventType.WEBWIDGET_TRIGGERED);
            assertThat(e.widgetTrigger().eventInfo().get("referer").toString()).endsWith("/demo");
          }));
      visitor.type("#sbw-input", "Do you ship tents to Norway?");
      visitor.click("#sbw-send");

      // the console lists the new conversation without a reload, and shows the message
      agent.waitForText("#conversations", t -> t.contains("#2"), "the visitor's conversation");
      agent.script("Array.from(document.querySelectorAll('#conversations li'))"
          + ".find(function (li) { return li.textContent.indexOf('#2 ') === 0; }).click();");
      agent.waitForText("#messages", t -> t.contains("Do you ship tents to Norway?"),
          "the visitor's message in the console");
      // the agent types: the widget shows it; the reply clears it
      visitor.watchFor("#sbw-typing", "Agent is typing");
      agent.type("#content", "Yes, in 3 to 5 days.");
      visitor.waitForSeen("#sbw-typing", "Agent is typing", "the agent's typing in the widget");
      agent.click("#reply button");

      visitor.waitForText("#sbw-messages", t -> t.contains("Yes, in 3 to 5 days."),
          "the agent's reply in the widget");
      visitor.waitForText("#sbw-typing", String::isEmpty, "the agent's typing to end");
      assertThat(visitor.text("#sbw-messages")).contains("Do you ship tents to Norway?");

      // the visitor types: the console shows it
      agent.watchFor("#typing", "Visitor is typing");
      visitor.type("#sbw-input", "And to");
      agent.waitForSeen("#typing", "Visitor is typing", "the visitor's typing in the console");
      visitor.script("document.getElementById('sbw-input').value = '';");

      // markup is shown as text on both sides: no element is created, no handler runs
      String visitorHtml = "<img src=x onerror=\"window.__xss=1\"> is this <b>bold</b>?";
      String agentHtml = "<img src=x onerror=window.__xss=2><script>window.__xss=3</script>";
      visitor.type("#sbw-input", visitorHtml);
      visitor.click("#sbw-send");
      agent.waitForText("#messages", t -> t.contains(visitorHtml), "the visitor's markup as text");
      agent.type("#content", agentHtml);
      agent.click("#reply button");
      visitor.waitForText("#sbw-messages", t -> t.contains(agentHtml), "the agent's markup as text");
      for (WebDriver.Browser page : List.of(visitor, agent)) {
        String list = page == visitor ? "#sbw-messages" : "#messages";
        assertThat(page.script("return document.querySelectorAll('" + list + " img, " + list
            + " b, " + list + " script').length;").asInt()).isZero();
        assertThat(page.script("return typeof window.__xss;").asText()).isEqualTo("undefined");
      }

      // drop the visitor's socket and keep it down while the agent writes
      int readsBefore = visitor.script("return window.__listReads;").asInt();
      assertThat(readsBefore).isPositive();
      visitor.script("window.__offline = true; window.__sockets.forEach(function (s) { s.close(); });");
      agent.type("#content", "Shipping is free this week.");
      agent.click("#reply button");
      agent.waitForText("#messages", t -> t.contains("Shipping is free this week."),
          "the second reply in the console");
      Thread.sleep(500);
      assertThat(visitor.text("#sbw-messages")).doesNotContain("Shipping is free this week.");

      visitor.script("window.__offline = false;");
      visitor.waitForText("#sbw-messages", t -> t.contains("Shipping is free this week."),
          "the reply sent while the visitor was offline");
      // it came by replay: in a frame of the restored socket, which resumed after the last
      // event seen, and the list was not read again over HTTP
      JsonNode restored = visitor.script("var open = window.__sockets.filter(function (s) {"
          + " return s.readyState === 1; }); var s = open[open.length - 1];"
          + " return { url: s.__url, frames: s.__frames };");
      assertThat(restored.get("url").asText()).containsPattern("last_sequence=[1-9]");
      assertThat(restored.get("frames").toString()).contains("Shipping is free this week.");
      assertThat(visitor.script("return window.__listReads;").asInt()).isEqualTo(readsBefore);
      // kept for a person to look at: target/browser/
      Path shots = java.nio.file.Files.createDirectories(Path.of("target", "browser"));
      visitor.screenshot(shots.resolve("widget.png"));
      agent.screenshot(shots.resolve("console.png"));
      assertThat(visitor.text("#sbw-messages")).containsOnlyOnce("Yes, in 3 to 5 days.");
    }
  }

  @Test
  void aVisitorWhoseTokenWasRevokedReceivesTheRepliesToItsNewSession() throws Exception {
    io.switchboard.Switchboard sb = host.switchboard();
    long accountId = sb.admin().accounts().get(0).id();
    try (WebDriver.Browser visitor = driver.open()) {
      visitor.beforeEveryPage(SOCKET_SWITCH);
      visitor.go(base + "/demo");
      visitor.click("#sbw-launcher");
      visitor.type("#sbw-input", "Before the token was revoked");
      visitor.click("#sbw-send");
      io.switchboard.model.Message first = awaitMessage(sb, accountId,
          "Before the token was revoked");

      // a new token secret signs every visitor out, as an expired token does: the next request
      // gets 401 invalid_token, and the script starts a new visitor session
      io.switchboard.model.Inbox website = sb.admin().inboxes(accountId).stream()
          .filter(i -> i.channelType() == io.switchboard.model.ChannelType.WEB_WIDGET)
          .findFirst().orElseThrow();
      sb.admin().updateInbox(accountId, website.id(), io.switchboard.InboxDraft.of(
          website.name(), website.channelType(), java.util.Map.of(
              io.switchboard.channel.widget.WidgetChannel.TOKEN_SECRET, "r".repeat(40))));
      visitor.type("#sbw-input", "After the token was revoked");
      visitor.click("#sbw-send");
      io.switchboard.model.Message second = awaitMessage(sb, accountId,
          "After the token was revoked");
      assertThat(second.conversationId()).isNotEqualTo(first.conversationId());

      long agentId = sb.admin().agents(accountId).get(0).userId();
      sb.messages().reply(accountId, second.conversationId(),
          io.switchboard.MessageDraft.text("Replied to the new session"),
          io.switchboard.model.Actor.user(sb.admin().agent(accountId, agentId)));

      // it arrives over the socket of the new session, which replaced the old one
      visitor.waitForText("#sbw-messages", t -> t.contains("Replied to the new session"),
          "the reply to the visitor's new session");
      JsonNode sockets = visitor.script("return window.__sockets.map(function (s) {"
          + " var u = new URL(s.__url); return { token: u.searchParams.get('pubsub_token'),"
          + " after: Number(u.searchParams.get('last_sequence')), open: s.readyState === 1 }; });");
      JsonNode firstSocket = sockets.get(0);
      JsonNode lastSocket = sockets.get(sockets.size() - 1);
      assertThat(firstSocket.get("open").asBoolean()).isFalse();
      assertThat(lastSocket.get("open").asBoolean()).isTrue();
      assertThat(lastSocket.get("token").asText()).isNotEqualTo(firstSocket.get("token").asText());
      // each connected after the list it read, resuming after the sequence the list carried
      for (JsonNode socket : sockets) {
        assertThat(socket.get("after").asLong()).isPositive();
      }
      assertThat(visitor.text("#sbw-messages")).doesNotContain("Before the token was revoked");
    }
  }

  private static io.switchboard.model.Message awaitMessage(io.switchboard.Switchboard sb,
      long accountId, String content) {
    return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
        .until(() -> sb.events(accountId, 0, 1000).stream()
            .filter(e -> e.type() == io.switchboard.event.EventType.MESSAGE_CREATED
                && content.equals(e.message().content()))
            .map(io.switchboard.event.Event::message).findFirst(), java.util.Optional::isPresent)
        .orElseThrow();
  }
}
