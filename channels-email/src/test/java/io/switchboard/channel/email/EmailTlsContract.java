package io.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.switchboard.MessageDraft;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SMTP over SSL and IMAPS against GreenMail's SSL servers, which present a certificate made
 * at test time for 127.0.0.1: trusted through {@link EmailChannel.Builder#tls}, refused by the
 * JVM's default trust store.
 */
abstract class EmailTlsContract extends EmailTestSupport {
  static {
    TestCertificates.useForGreenMail();
  }

  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTPS_IMAPS));

  @Override
  GreenMailExtension mail() {
    return MAIL;
  }

  @Override
  Map<String, String> serverSettings() {
    return loopbackServers(MAIL.getSmtps().getPort(), MAIL.getImaps().getPort(), "ssl");
  }

  @Override
  EmailChannel.Builder configure(EmailChannel.Builder builder) {
    try {
      return builder.tls(TestCertificates.trusting(TestCertificates.LOOPBACK));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anAgentReplyIsDeliveredOverSmtps() throws Exception {
    Message first = receive(inbox, "plain.eml");

    Message reply = sentReply(first, MessageDraft.text("Sent over TLS."));

    assertThat(reply.status()).isEqualTo(MessageStatus.SENT);
    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= 1);
    MimeMessage mail = MAIL.getReceivedMessages()[0];
    assertThat(mail.getHeader("Message-ID", null)).isEqualTo("<" + reply.sourceId() + ">");
    assertThat(mail.getHeader("To", null)).isEqualTo("dana@example.test");
  }

  @Test
  void imapsPollingIngestsTheMailbox() throws Exception {
    deliver("plain.eml", "html-only.eml");

    assertThat(channel.imapPoller(f.sb, inbox).poll()).isEqualTo(2);

    assertThat(created()).extracting(Message::sourceId)
        .containsExactly("plain-1@example.test", "html-1@example.test");
  }

  @Test
  void aCertificateTheDefaultTrustStoreDoesNotKnowIsRefusedWithAClearError() throws Exception {
    f.close();
    start(channelBuilder()); // no tls(...): the JVM's default trust store
    Message first = receive(inbox, "plain.eml");
    deliver("html-only.eml");

    Message reply = failedReply(first, MessageDraft.text("Never sent."));

    assertThat(reply.sourceId()).isNull();
    assertThat(reply.contentAttributes().get("external_error").toString())
        .contains("certificate of the SMTP server 127.0.0.1:" + MAIL.getSmtps().getPort(),
            "not trusted");
    assertThat(MAIL.getReceivedMessagesForDomain("example.test")).isEmpty();
    assertThatThrownBy(() -> channel.imapPoller(f.sb, inbox).poll())
        .isInstanceOf(MessagingException.class)
        .hasMessageContaining("certificate of the IMAP server 127.0.0.1:"
            + MAIL.getImaps().getPort())
        .hasMessageContaining("not trusted");
    assertThat(created()).hasSize(1);
  }
}
