package io.switchboard.channel.email;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A small SMTP server on loopback that answers each connection's {@code RCPT TO} with the next
 * scripted reply ({@code 250 2.1.5 Ok} once the script is used up) and records the mail it
 * accepts. For replies GreenMail cannot give: 4xx and 5xx. One made {@link #withAuth} offers
 * {@code AUTH PLAIN} and answers each connection's {@code AUTH} from its own script.
 */
final class ScriptedSmtpServer implements AutoCloseable {
  private final ServerSocket server;
  private final Deque<String> rcptReplies;
  private final Deque<String> authReplies;
  private final List<String> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private ScriptedSmtpServer(ServerSocket server, String[] authReplies, String... rcptReplies) {
    this.server = server;
    this.authReplies = authReplies == null ? null : new ArrayDeque<>(Arrays.asList(authReplies));
    this.rcptReplies = new ArrayDeque<>(Arrays.asList(rcptReplies));
    Thread t = new Thread(this::serve, "scripted-smtp");
    t.setDaemon(true);
    t.start();
  }

  /** A plain server answering the connections' {@code RCPT TO} with {@code rcptReplies}. */
  static ScriptedSmtpServer start(String... rcptReplies) throws Exception {
    return new ScriptedSmtpServer(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()),
        null, rcptReplies);
  }

  /**
   * A plain server offering {@code AUTH PLAIN} that answers the connections' {@code AUTH} with
   * {@code authReplies} ({@code 235 2.7.0 Authentication successful} once they are used up).
   */
  static ScriptedSmtpServer withAuth(String... authReplies) throws Exception {
    return new ScriptedSmtpServer(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()),
        authReplies);
  }

  /** The same over SSL from the first byte, with {@code tls}'s key. */
  static ScriptedSmtpServer startSsl(SSLContext tls, String... rcptReplies) throws Exception {
    return new ScriptedSmtpServer(tls.getServerSocketFactory().createServerSocket(0, 5,
        InetAddress.getLoopbackAddress()), null, rcptReplies);
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many connections the server took. */
  int connections() {
    return connections.get();
  }

  /** The DATA of each accepted mail, in order. */
  List<String> accepted() {
    return accepted;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        connections.incrementAndGet();
        converse(s);
      } catch (Exception ignored) {
        // a closed server, or a client that went away: the test asserts what it saw
      }
    }
  }

  private void converse(Socket s) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
        StandardCharsets.US_ASCII));
    PrintWriter out = new PrintWriter(s.getOutputStream(), true);
    reply(out, "220 fake.test ESMTP");
    String rcpt;
    synchronized (rcptReplies) {
      rcpt = rcptReplies.isEmpty() ? "250 2.1.5 Ok" : rcptReplies.poll();
    }
    String line;
    while ((line = in.readLine()) != null) {
      String cmd = line.toUpperCase(Locale.ROOT);
      if (cmd.startsWith("EHLO") && authReplies != null) {
        reply(out, "250-fake.test");
        reply(out, "250 AUTH PLAIN");
      } else if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
        reply(out, "250 fake.test");
      } else if (cmd.startsWith("AUTH") && authReplies != null) {
        String auth;
        synchronized (authReplies) {
          auth = authReplies.isEmpty() ? "235 2.7.0 Authentication successful"
              : authReplies.poll();
        }
        reply(out, auth);
      } else if (cmd.startsWith("RCPT")) {
        reply(out, rcpt);
      } else if (cmd.startsWith("DATA")) {
        reply(out, "354 End data with <CR><LF>.<CR><LF>");
        StringBuilder data = new StringBuilder();
        while ((line = in.readLine()) != null && !line.equals(".")) {
          data.append(line).append("\r\n");
        }
        accepted.add(data.toString());
        reply(out, "250 2.0.0 Ok: queued");
      } else if (cmd.startsWith("QUIT")) {
        reply(out, "221 2.0.0 Bye");
        return;
      } else {
        reply(out, "250 2.0.0 Ok");
      }
    }
  }

  private static void reply(PrintWriter out, String line) {
    out.print(line + "\r\n");
    out.flush();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
