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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * SMTP failures are classified: 4xx and connection failures retried, 5xx and TLS failures that
 * retrying cannot mend permanent.
 */
class SmtpSenderTest {

  static SendResult send(int port) throws Exception {
    return send(port, "none", null);
  }

  static SendResult send(int port, String security, SSLContext tls) throws Exception {
    return send(Map.of("smtp_port", String.valueOf(port), "smtp_security", security), tls);
  }

  /** Sends through an SMTP server on 127.0.0.1 with these {@code smtp} settings. */
  static SendResult send(Map<String, String> smtp, SSLContext tls) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(smtp);
    settings.put("email", "support@acme.test");
    settings.put("smtp_host", "127.0.0.1");
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
        FileSystemBlobStore.create(Files.createTempDirectory("blobs")), null, Duration.ofSeconds(5),
        tls == null ? null : tls.getSocketFactory());
    return sender.send(new OutboundMessage(inbox, c, contact, ci, m, null, 1));
  }

  @Test
  void aPermanentRejectionFailsWithTheServersReply() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start(
        "550 5.1.1 <dana@example.test>: Recipient address rejected: User unknown")) {
      SendResult result = send(server.port());

      assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
        assertThat(f.code()).isEqualTo("550");
        assertThat(f.error()).contains("Recipient address rejected");
      });
    }
  }

  @Test
  void aTemporaryRejectionIsRetried() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.start(
        "451 4.7.1 Greylisted, try again later")) {
      SendResult result = send(server.port());

      assertThat(result).isInstanceOfSatisfying(SendResult.Retry.class,
          r -> assertThat(r.error()).contains("Greylisted"));
    }
  }

  /** Sends through {@code server} signing in as support@acme.test. */
  static SendResult sendSignedIn(ScriptedSmtpServer server) throws Exception {
    return send(Map.of("smtp_port", String.valueOf(server.port()), "smtp_security", "none",
        "smtp_username", "support@acme.test", "smtp_password", "mailbox-pw"), null);
  }

  @Test
  void aTemporaryAuthenticationFailureIsRetriedWithoutAskingForReauthorization()
      throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.withAuth(
        "454 4.7.0 Temporary authentication failure")) {
      SendResult result = sendSignedIn(server);

      assertThat(result).isInstanceOfSatisfying(SendResult.Retry.class, r -> assertThat(r.error())
          .isEqualTo("SMTP authentication failed: 454 4.7.0 Temporary authentication failure"));
      assertThat(server.accepted()).isEmpty();
    }
  }

  @Test
  void aRejectedLoginFailsAndAsksForReauthorization() throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.withAuth(
        "535 5.7.8 Username and Password not accepted")) {
      SendResult result = sendSignedIn(server);

      assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
        assertThat(f.code()).isEqualTo("auth_failed");
        assertThat(f.error()).isEqualTo(
            "SMTP authentication failed: 535 5.7.8 Username and Password not accepted");
        assertThat(f.reauthorizationRequired()).isTrue();
      });
      assertThat(server.accepted()).isEmpty();
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

  /** Sends to an SMTP server over SSL presenting {@code served}, trusting {@code trusted}. */
  static SendResult sendOverSsl(Path served, Path trusted, List<String> accepted)
      throws Exception {
    try (ScriptedSmtpServer server = ScriptedSmtpServer.startSsl(
        TestCertificates.serving(served))) {
      SendResult result = send(server.port(), "ssl", TestCertificates.trusting(trusted));
      accepted.addAll(server.accepted());
      return result;
    }
  }

  @Test
  void aTrustedCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
    List<String> accepted = new ArrayList<>();

    SendResult result = sendOverSsl(TestCertificates.ELSEWHERE, TestCertificates.ELSEWHERE,
        accepted);

    assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class, f -> {
      assertThat(f.code()).isEqualTo("tls_failed");
      assertThat(f.error()).matches("the certificate of the SMTP server 127\\.0\\.0\\.1:\\d+ "
          + "does not name the host 127\\.0\\.0\\.1");
    });
    assertThat(accepted).isEmpty();
  }

  @Test
  void theTrustedCertificateOfTheHostIsAccepted() throws Exception {
    List<String> accepted = new ArrayList<>();

    SendResult result = sendOverSsl(TestCertificates.LOOPBACK, TestCertificates.LOOPBACK,
        accepted);

    assertThat(result).isInstanceOf(SendResult.Sent.class);
    assertThat(accepted).singleElement().asString().contains("Subject: Re: Hello");
  }

  @Test
  void aReplysSubjectKeepsOneReOverAnyNumberOfReplyPrefixes() {
    assertThat(SmtpSender.replySubject("Order 42")).isEqualTo("Re: Order 42");
    assertThat(SmtpSender.replySubject(" RE: aw:SV :  Antw: Order 42 ")).isEqualTo("Re: Order 42");
    assertThat(SmtpSender.replySubject("Reply needed")).isEqualTo("Re: Reply needed");
    // a subject of many thousands of prefixes: taken off one by one, no stack overflow
    assertThat(SmtpSender.replySubject("Re: ".repeat(20_000) + "Order 42"))
        .isEqualTo("Re: Order 42");
  }
}
