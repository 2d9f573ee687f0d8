package io.switchboard.bench;

import io.switchboard.InboxDraft;
import io.switchboard.Switchboard;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.jdbi.JdbiStore;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.realtime.AgentAuthenticator;
import io.switchboard.realtime.RealtimeEndpoint;
import io.switchboard.realtime.RealtimeHub;
import jakarta.websocket.server.ServerContainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketContainer;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server side of the connection run, in a JVM of its own so that its heap holds only the
 * node: Switchboard on in-memory H2 with a {@link RealtimeHub} mounted at {@code /realtime} in
 * Jetty 12, as the quickstart host mounts it. One agent, signed in by a random access token.
 *
 * <p>Prints {@code READY <port> <token>}, then answers commands on stdin, one a line: {@code
 * heap} ({@code HEAP <bytes>} in use after full collections), {@code sessions} ({@code SESSIONS
 * <n>} open WebSocket sessions, {@code AUTHENTICATED <n>} agents signed in so far on the same
 * line), {@code broadcast} (creates an inbox, whose {@code inbox.created} event reaches every
 * administrator; prints {@code BROADCAST}) and {@code quit}. End of input also quits.
 */
final class ConnectionServer {
  /** Idle connections must outlive the run; the container's default would drop them at 30 s. */
  private static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);

  private ConnectionServer() {}

  public static void main(String[] args) throws Exception {
    Switchboard sb = Switchboard.builder()
        .store(JdbiStore.h2InMemory())
        .channel(ApiChannel.create())
        .build();
    Account account = sb.admin().createAccount("Connections");
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    User agent = sb.admin().createAgent(account.id(), "Bench Agent", "bench@connections.test",
        Role.ADMINISTRATOR, HexFormat.of().formatHex(secret).toCharArray());
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    RealtimeHub hub = RealtimeHub.create(sb);

    AtomicInteger authenticated = new AtomicInteger();
    AgentAuthenticator.AgentIdentity identity =
        new AgentAuthenticator.AgentIdentity(account.id(), agent.id());
    AgentAuthenticator authenticator = session -> {
      List<String> given = session.getRequestParameterMap().get("access_token");
      if (given == null || !given.contains(token)) {
        return Optional.empty();
      }
      authenticated.incrementAndGet();
      return Optional.of(identity);
    };

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("bench-jetty");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    // the harness opens connections in bursts of a few hundred
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    AtomicReference<ServerContainer> websockets = new AtomicReference<>();
    JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
      container.setDefaultMaxSessionIdleTimeout(SESSION_IDLE_TIMEOUT.toMillis());
      container.addEndpoint(RealtimeEndpoint.config("/realtime", hub, authenticator));
      websockets.set(container);
    });
    server.setHandler(context);
    server.start();

    System.out.println("READY " + connector.getLocalPort() + " " + token);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    boolean running = true;
    while (running && (command = in.readLine()) != null) {
      switch (command.strip()) {
        case "heap" -> System.out.println("HEAP " + Resources.usedAfterGc());
        case "sessions" -> System.out.println("SESSIONS " + openSessions(websockets.get())
            + " AUTHENTICATED " + authenticated.get());
        case "broadcast" -> {
          sb.admin().createInbox(account.id(), InboxDraft.of("ping", ChannelType.API, Map.of()));
          System.out.println("BROADCAST");
        }
        case "quit" -> running = false;
        default -> System.out.println("UNKNOWN " + command);
      }
      System.out.flush();
    }
    server.stop();
    hub.close();
    sb.close();
    System.out.println("BYE");
    System.out.flush();
    System.exit(0);
  }

  /** Open sessions as the container counts them, or -1 when the container does not tell. */
  private static int openSessions(ServerContainer container) {
    return container instanceof JakartaWebSocketContainer jetty
        ? jetty.getOpenSessions().size() : -1;
  }
}
