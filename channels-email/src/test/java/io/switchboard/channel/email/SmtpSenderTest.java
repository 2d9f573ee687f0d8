package io.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.blob.FileSystemBlobStore;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.channel.SendResult;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContactType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SMTP failures are classified: 4xx and connection failures retried, 5xx permanent. */
class SmtpSenderTest {

  /** A one-connection SMTP server on loopback that rejects the recipient with {@code reply}. */
  static ServerSocket rejectingServer(String rcptReply) throws Exception {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (Socket s = server.accept();
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
              StandardCharsets.US_ASCII));
          PrintWriter out = new PrintWriter(s.getOutputStream(), true)) {
        out.print("220 fake.test ESMTP\r\n");
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
          String cmd = line.toUpperCase();
          if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
            out.print("250 fake.test\r\n");
          } else if (cmd.startsWith("MAIL")) {
            out.print("250 2.1.0 Ok\r\n");
          } else if (cmd.startsWith("RCPT")) {
            out.print(rcptReply + "\r\n");
          } else if (cmd.startsWith("QUIT")) {
            out.print("221 Bye\r\n");
            out.flush();
            return;
          } else {
            out.print("250 Ok\r\n");
          }
          out.flush();
        }
      } catch (Exception ignored) {
        // the test ends the conversation
      }
    });
    t.setDaemon(true);
    t.start();
    return server;
  }

  static SendResult send(int port) throws Exception {
    Map<String, String> settings = Map.of("email", "support@acme.test", "smtp_host",
        "127.0.0.1", "smtp_port", String.valueOf(port), "smtp_security", "none");
    Instant now = Instant.parse("2026-11-24T10:00:00Z");
    Inbox inbox = new Inbox(1, 1, "Support", ChannelType.EMAIL, "support@acme.test", settings,
        false, false, false, null, false, now, now);
    Conversation c = new Conversation(1, 1, 1, 1, 1, "0f616451-0000-4000-8000-000000000001", 1,
        ConversationStatus.OPEN, null, null, null, List.of(), null, null, null, now,
        Map.of("mail_subject", "Hello"), Map.of(), now, now);
    Contact contact = new Contact(1, 1, "Dana", "dana@example.test", null, null,
        ContactType.LEAD, Map.of(), Map.of(), false, null, now, now);
    ContactInbox ci = new ContactInbox(1, 1, 1, 1, "dana@example.test", "t", false, now);
    Message m = new Message(5, 1, 1, 1, MessageType.OUTGOING, ContentType.TEXT, "Hi", Map.of(),
        false, MessageStatus.SENT, null, SenderType.USER, 1L, List.of(), now, now);
    SmtpSender sender = new SmtpSender(inbox, EmailSettings.of(settings),
        FileSystemBlobStore.create(Files.createTempDirectory("blobs")), null, Duration.ofSeconds(5));
    return sender.send(new OutboundMessage(inbox, c, contact, ci, m, null, 1));
  }

  @Test
  void aPermanentRejectionFailsWithTheServersReply() throws Exception {
    try (ServerSocket server = rejectingServer(
        "550 5.1.1 <dana@example.test>: Recipient address rejected: User unknown")) {
      SendResult result = send(server.getLocalPort());

      assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
        assertThat(f.code()).isEqualTo("550");
        assertThat(f.error()).contains("Recipient address rejected");
      });
    }
  }

  @Test
  void aTemporaryRejectionIsRetried() throws Exception {
    try (ServerSocket server = rejectingServer("451 4.7.1 Greylisted, try again later")) {
      SendResult result = send(server.getLocalPort());

      assertThat(result).isInstanceOfSatisfying(SendResult.Retry.class,
          r -> assertThat(r.error()).contains("Greylisted"));
    }
  }

  @Test
  void aRefusedConnectionIsRetried() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    assertThat(send(port)).isInstanceOf(SendResult.Retry.class);
  }
}
