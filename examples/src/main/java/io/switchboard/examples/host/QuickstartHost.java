package io.switchboard.examples.host;

import io.switchboard.InboxDraft;
import io.switchboard.Switchboard;
import io.switchboard.WebhookAcknowledgement;
import io.switchboard.blob.FileSystemBlobStore;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.channel.widget.WidgetApi;
import io.switchboard.channel.widget.WidgetAssets;
import io.switchboard.channel.widget.WidgetChannel;
import io.switchboard.jdbi.JdbiStore;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.realtime.AgentAuthenticator;
import io.switchboard.realtime.RealtimeEndpoint;
import io.switchboard.realtime.RealtimeHub;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The quickstart host: Switchboard in Jetty 12 on an embedded H2 file database.
 *
 * <ul>
 *   <li>{@code /} the agent console; {@code /api/*} its JSON API ({@link AgentApiServlet});
 *   <li>{@code /demo} a page with the web widget; {@code /widget/*} the widget API and
 *       {@code /widget.js} its script;
 *   <li>{@code /realtime} the WebSocket endpoint of the real-time hub;
 *   <li>{@code /webhooks/<channel>/…} the webhook routes of every registered channel (Telegram:
 *       {@code /webhooks/telegram/<bot id>}).
 * </ul>
 *
 * On first start it seeds an account, two agents ({@code admin@acme.test} and
 * {@code agent@acme.test}, password {@code switchboard}), an API inbox with a conversation, and
 * a website inbox for the widget.
 * Run it with {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=
 * io.switchboard.examples.host.QuickstartHost}; the port is {@code PORT} (default 8080), and
 * {@code WEBHOOK_ACK=stored} answers webhooks once they are stored instead of once processed
 * ({@link WebhookAcknowledgement}).
 */
public final class QuickstartHost implements AutoCloseable {
  /** The seeded agents' password. */
  public static final String PASSWORD = "switchboard";

  private final Switchboard switchboard;
  private final RealtimeHub hub;
  private final Server server;

  private QuickstartHost(Switchboard switchboard, RealtimeHub hub, Server server) {
    this.switchboard = switchboard;
    this.hub = hub;
    this.server = server;
  }

  /** Starts the host with its database and files below {@code dataDir}, on {@code port} (0: any). */
  public static QuickstartHost start(Path dataDir, int port, PrintStream out) throws Exception {
    return start(dataDir, port, out, WebhookAcknowledgement.AFTER_PROCESSING);
  }

  /** As {@link #start(Path, int, PrintStream)}, answering webhooks as {@code ack} says. */
  public static QuickstartHost start(Path dataDir, int port, PrintStream out,
      WebhookAcknowledgement ack) throws Exception {
    return start(dataDir, port, out, JdbiStore.h2File(dataDir.resolve("host")),
        io.switchboard.channel.whatsapp.WhatsAppConfig.defaults(), ack);
  }

  /**
   * Starts the host on {@code store} instead of the H2 file, with its files below {@code
   * dataDir}, the WhatsApp channel configured by {@code whatsapp}, and webhooks answered as
   * {@code ack} says: how the benchmark harness runs it on PostgreSQL against a local Graph API.
   */
  public static QuickstartHost start(Path dataDir, int port, PrintStream out,
      io.switchboard.store.Store store, io.switchboard.channel.whatsapp.WhatsAppConfig whatsapp,
      WebhookAcknowledgement ack) throws Exception {
    Switchboard sb = Switchboard.builder()
        .store(store)
        .webhookAcknowledgement(ack)
        .blobStore(FileSystemBlobStore.create(dataDir.resolve("blobs")))
        .channel(ApiChannel.create())
        .channel(WidgetChannel.create())
        .channel(io.switchboard.channel.telegram.TelegramChannel.create())
        .channel(io.switchboard.channel.email.EmailChannel.create())
        .channel(io.switchboard.channel.whatsapp.WhatsAppChannel.create(whatsapp))
        .build();
    seed(sb, out);
    Inbox website = websiteInbox(sb);
    RealtimeHub hub = RealtimeHub.create(sb);
    AgentSessions sessions = new AgentSessions(sb.channelContext().clock());
    AgentAuthenticator agents = session -> {
      List<String> token = session.getRequestParameterMap().get("access_token");
      return token == null || token.isEmpty() ? Optional.empty() : sessions.find(token.get(0));
    };

    Server server = new Server(new InetSocketAddress("127.0.0.1", port));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new AgentApiServlet(sb, sessions)), "/api/*");
    context.addServlet(new ServletHolder(new WebhookServlet(sb)), "/webhooks/*");
    context.addServlet(new ServletHolder(new WidgetServlet(WidgetApi.create(sb))), "/widget/*");
    context.addServlet(new ServletHolder(new PageServlet(website.setting(WidgetChannel.WEBSITE_TOKEN))), "/");
    JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
        container.addEndpoint(RealtimeEndpoint.config("/realtime", hub, agents)));
    server.setHandler(context);
    server.start();
    return new QuickstartHost(sb, hub, server);
  }

  /** The port the host listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public Switchboard switchboard() {
    return switchboard;
  }

  @Override
  public void close() throws Exception {
    server.stop();
    hub.close();
    switchboard.close();
  }

  private static void seed(Switchboard sb, PrintStream out) {
    if (!sb.admin().accounts().isEmpty()) {
      return;
    }
    Account acme = sb.admin().createAccount("Acme");
    User admin = sb.admin().createAgent(acme.id(), "Ada Admin", "admin@acme.test",
        Role.ADMINISTRATOR, PASSWORD.toCharArray());
    User agent = sb.admin().createAgent(acme.id(), "Sam Agent", "agent@acme.test", Role.AGENT,
        PASSWORD.toCharArray());
    Inbox api = sb.admin().createInbox(acme.id(),
        InboxDraft.of("Website API", ChannelType.API, Map.of()));
    sb.admin().addInboxMember(acme.id(), api.id(), agent.id());
    sb.incoming().receive(acme.id(), api.id(), InboundMessage.text("seed-1",
        new InboundContact("dana-1", "Dana Scully", "dana@example.test", null, null, Map.of()),
        "Hello! My order #1042 has not arrived yet."));
    out.println("seeded account 'Acme' with agents " + admin.email() + " and " + agent.email()
        + " (password: " + PASSWORD + ")");
  }

  /** The first account's website inbox, created (with both agents as members) when missing. */
  private static Inbox websiteInbox(Switchboard sb) {
    long accountId = sb.admin().accounts().get(0).id();
    return sb.admin().inboxes(accountId).stream()
        .filter(i -> i.channelType() == ChannelType.WEB_WIDGET).findFirst()
        .orElseGet(() -> {
          // any origin: the demo page is served by this host on whatever port it gets
          Inbox inbox = sb.admin().createInbox(accountId, InboxDraft.of("Website",
              ChannelType.WEB_WIDGET, WidgetChannel.settings("http://127.0.0.1", ""))
              .withGreetingMessage("Hi! Ask us anything, we usually answer within minutes."));
          sb.admin().agents(accountId).forEach(a ->
              sb.admin().addInboxMember(accountId, inbox.id(), a.userId()));
          return inbox;
        });
  }

  /** Serves the console, the widget demo page, and their scripts. */
  private static final class PageServlet extends HttpServlet {
    private static final Map<String, String> PAGES = Map.of(
        "/", "console.html", "/console.js", "console.js", "/demo", "demo.html");
    private final String websiteToken;

    PageServlet(String websiteToken) {
      this.websiteToken = websiteToken;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setHeader("Content-Security-Policy",
          "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' http: https: data:; "
              + "connect-src 'self' ws: wss:");
      String uri = req.getRequestURI();
      if (uri.equals("/widget.js")) {
        resp.setContentType(WidgetAssets.SCRIPT_CONTENT_TYPE);
        resp.getOutputStream().write(WidgetAssets.script().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      }
      if (uri.equals("/demo-settings.js")) {
        // the embed snippet's settings, as a script file so that no inline script is needed
        resp.setContentType("text/javascript;charset=utf-8");
        resp.getOutputStream().write(("window.switchboardSettings = { baseUrl: location.origin, "
            + "websiteToken: \"" + websiteToken + "\" };\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      }
      String file = PAGES.get(uri);
      if (file == null) {
        resp.sendError(404);
        return;
      }
      try (InputStream in = QuickstartHost.class.getResourceAsStream(file)) {
        resp.setContentType(file.endsWith(".js") ? "text/javascript;charset=utf-8"
            : "text/html;charset=utf-8");
        in.transferTo(resp.getOutputStream());
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    // WEBHOOK_ACK=stored answers webhooks once stored (WebhookAcknowledgement.AFTER_STORING)
    WebhookAcknowledgement ack = "stored".equalsIgnoreCase(System.getenv("WEBHOOK_ACK"))
        ? WebhookAcknowledgement.AFTER_STORING : WebhookAcknowledgement.AFTER_PROCESSING;
    QuickstartHost host = start(Path.of("data"), port, System.out, ack);
    System.out.println("Switchboard quickstart host on http://127.0.0.1:" + host.port()
        + "/ (agent console). Ctrl-C stops it.");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        host.close();
      } catch (Exception e) {
        System.err.println("shutdown: " + e);
      }
    }));
    Thread.currentThread().join();
  }
}
