package io.switchboard.channel.email;

import io.switchboard.blob.BlobStore;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.channel.SendResult;
import io.switchboard.model.Attachment;
import io.switchboard.model.Conversation;
import io.switchboard.model.Message;
import jakarta.activation.DataHandler;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.jsoup.nodes.Entities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends an agent's reply over SMTP, threaded into the customer's mail client. */
final class SmtpSender implements ChannelSender {
  private static final Logger LOG = LoggerFactory.getLogger(SmtpSender.class);
  /** One reply prefix; repeated prefixes are taken off one by one (see {@link #replySubject}). */
  private static final Pattern RE = Pattern.compile("(?:re|aw|sv|antw)\\s*:\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern CODE = Pattern.compile("^\\s*[245]\\d\\d\\b");

  private final io.switchboard.model.Inbox inbox;
  private final EmailSettings settings;
  private final BlobStore blobs;
  private final OAuth2TokenSupplier tokens;
  private final Duration timeout;
  private final SSLSocketFactory tls;

  SmtpSender(io.switchboard.model.Inbox inbox, EmailSettings settings, BlobStore blobs,
      OAuth2TokenSupplier tokens, Duration timeout, SSLSocketFactory tls) {
    this.inbox = inbox;
    this.settings = settings;
    this.blobs = blobs;
    this.tokens = tokens;
    this.timeout = timeout;
    this.tls = tls;
  }

  @Override
  public SendResult send(OutboundMessage out) throws Exception {
    if (settings.smtpHost() == null) {
      return SendResult.failed("smtp_not_configured", "the inbox has no smtp_host setting");
    }
    Session session = Session.getInstance(properties());
    MimeMessage mail;
    String messageId = messageId(out);
    try {
      mail = compose(session, out, messageId);
    } catch (jakarta.mail.internet.AddressException e) {
      return SendResult.failed("invalid_address", "invalid recipient address: " + e.getRef());
    }
    try (Transport transport = session.getTransport("smtp")) {
      String password = settings.smtpPassword();
      if (settings.oauth2() && tokens != null) {
        password = tokens.accessToken(inbox);
      }
      if (settings.smtpUsername() != null) {
        transport.connect(settings.smtpHost(), settings.smtpPort(), settings.smtpUsername(),
            password);
      } else {
        transport.connect(settings.smtpHost(), settings.smtpPort(), null, null);
      }
      transport.sendMessage(mail, mail.getAllRecipients());
    } catch (AuthenticationFailedException e) {
      return authenticationFailed(e);
    } catch (MessagingException e) {
      String tls = TlsFailure.describe(e, "SMTP", settings.smtpHost(), settings.smtpPort());
      if (tls != null) {
        LOG.info("smtp tls failure for inbox {}: {}", inbox.id(), tls);
        return SendResult.failed("tls_failed", tls);
      }
      return classify(e);
    }
    LOG.debug("message {} of inbox {} sent by smtp", out.message().id(), inbox.id());
    return SendResult.sent(messageId);
  }

  /**
   * A refused login: a 4xx reply ({@code 454 4.7.0 Temporary authentication failure}, RFC 4954)
   * is retried; a 5xx reply ({@code 535}) or none fails the message and asks for the inbox to be
   * re-authorized.
   */
  private SendResult authenticationFailed(AuthenticationFailedException e) {
    int code = replyCode(e);
    String error = "SMTP authentication failed: " + String.valueOf(e.getMessage()).strip();
    if (code >= 400 && code < 500) {
      LOG.info("smtp authentication of inbox {} failed temporarily ({})", inbox.id(), code);
      return SendResult.retry(error, null);
    }
    LOG.info("smtp authentication failed for inbox {}", inbox.id());
    return new SendResult.Failed("auth_failed", error, true);
  }

  /**
   * The SMTP reply code of a failure: the first exception of its chain that carries one (an
   * SMTP exception's return code, or a message that starts with the code), or -1.
   */
  static int replyCode(MessagingException e) {
    for (Throwable x = e; x != null; x = x.getCause()) {
      if (x instanceof SMTPSendFailedException s) {
        return s.getReturnCode();
      }
      if (x instanceof SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
      Matcher m = x.getMessage() == null ? null : CODE.matcher(x.getMessage());
      if (m != null && m.find()) {
        return Integer.parseInt(m.group().strip());
      }
    }
    return -1;
  }

  /**
   * 4xx and connection failures are retried; 5xx fail the message with the server's reply.
   * (TLS failures that retrying cannot mend are told apart before, by {@link TlsFailure}.)
   */
  static SendResult classify(MessagingException e) {
    int code = -1;
    String reply = null;
    for (Exception x = e; x != null; x = x instanceof MessagingException me
        ? me.getNextException() : null) {
      if (x instanceof SMTPAddressFailedException a) {
        code = a.getReturnCode();
        reply = a.getMessage();
        break;
      }
      if (x instanceof SMTPSendFailedException s) {
        code = s.getReturnCode();
        reply = s.getMessage();
        if (code >= 500) {
          break;
        }
      }
    }
    if (code < 0 && e.getMessage() != null) {
      Matcher m = CODE.matcher(e.getMessage());
      if (m.find()) {
        code = Integer.parseInt(e.getMessage().strip().substring(0, 3));
        reply = e.getMessage();
      }
    }
    String text = reply == null ? String.valueOf(e.getMessage()) : reply.strip();
    if (code >= 500 && code < 600) {
      return SendResult.failed(String.valueOf(code), text);
    }
    return SendResult.retry(code > 0 ? text : "smtp: " + text, null);
  }

  private Properties properties() {
    Properties p = new Properties();
    String ms = String.valueOf(timeout.toMillis());
    p.setProperty("mail.smtp.host", settings.smtpHost());
    p.setProperty("mail.smtp.port", String.valueOf(settings.smtpPort()));
    p.setProperty("mail.smtp.connectiontimeout", ms);
    p.setProperty("mail.smtp.timeout", ms);
    p.setProperty("mail.smtp.writetimeout", ms);
    p.setProperty("mail.smtp.auth", String.valueOf(settings.smtpUsername() != null));
    p.setProperty("mail.smtp.from", settings.email());
    p.setProperty("mail.smtp.localhost", settings.messageIdDomain());
    switch (settings.smtpSecurity()) {
      case SSL -> {
        p.setProperty("mail.smtp.ssl.enable", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case STARTTLS -> {
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
      }
      case NONE -> { }
    }
    if (tls != null) {
      p.put("mail.smtp.ssl.socketFactory", tls);
    }
    // a refused handshake must not be tried again with the JVM's default socket factory
    p.setProperty("mail.smtp.socketFactory.fallback", "false");
    if (settings.oauth2()) {
      p.setProperty("mail.smtp.auth.mechanisms", "XOAUTH2");
    }
    return p;
  }

  private String messageId(OutboundMessage out) {
    return "conversation/" + out.conversation().uuid() + "/messages/" + out.message().id() + "@"
        + settings.messageIdDomain();
  }

  private MimeMessage compose(Session session, OutboundMessage out, String messageId)
      throws Exception {
    Conversation c = out.conversation();
    Message m = out.message();
    MimeMessage mail = new MimeMessage(session) {
      @Override
      protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", "<" + messageId + ">");
      }
    };
    mail.setFrom(new InternetAddress(settings.email(), inbox.name(), "UTF-8"));
    String to = out.contact().email() != null ? out.contact().email()
        : out.contactInbox().sourceId();
    mail.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(to, true));
    List<String> cc = list(m.contentAttributes().get("cc_emails"));
    if (!cc.isEmpty()) {
      mail.setRecipients(MimeMessage.RecipientType.CC,
          InternetAddress.parse(String.join(",", cc), true));
    }
    List<String> bcc = list(m.contentAttributes().get("bcc_emails"));
    if (!bcc.isEmpty()) {
      mail.setRecipients(MimeMessage.RecipientType.BCC,
          InternetAddress.parse(String.join(",", bcc), true));
    }
    if (settings.inboundDomain() != null) {
      mail.setReplyTo(InternetAddress.parse("reply+" + c.uuid() + "@" + settings.inboundDomain()));
    }
    Object subject = c.additionalAttributes().get(MailParser.SUBJECT);
    if (subject != null && !subject.toString().isBlank()) {
      mail.setSubject(replySubject(subject.toString()), "UTF-8");
    } else {
      mail.setSubject(inbox.name() + " [#" + c.displayId() + "]", "UTF-8");
    }
    String inReplyTo = out.inReplyTo() != null && out.inReplyTo().sourceId() != null
        ? out.inReplyTo().sourceId()
        : (String) c.additionalAttributes().get(MailParser.LAST_MESSAGE_ID);
    List<String> references = new ArrayList<>(list(c.additionalAttributes()
        .get(MailParser.REFERENCES)));
    if (inReplyTo != null) {
      mail.setHeader("In-Reply-To", "<" + inReplyTo + ">");
      if (!references.contains(inReplyTo)) {
        references.add(inReplyTo);
      }
    }
    if (!references.isEmpty()) {
      StringBuilder refs = new StringBuilder();
      for (String r : references) {
        refs.append(refs.length() == 0 ? "" : " ").append('<').append(r).append('>');
      }
      mail.setHeader("References", MimeUtility.fold("References: ".length(), refs.toString()));
    }
    mail.setSentDate(java.util.Date.from(m.createdAt()));

    String text = m.content() == null ? "" : m.content();
    MimeMultipart alternative = new MimeMultipart("alternative");
    MimeBodyPart plain = new MimeBodyPart();
    plain.setText(text, "UTF-8", "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText("<html><body><div dir=\"auto\">" + Entities.escape(text).replace("\n", "<br>\n")
        + "</div></body></html>", "UTF-8", "html");
    alternative.addBodyPart(plain);
    alternative.addBodyPart(html);
    List<Attachment> files = m.attachments().stream().filter(a -> a.blobKey() != null).toList();
    if (files.isEmpty()) {
      mail.setContent(alternative);
    } else {
      MimeMultipart mixed = new MimeMultipart("mixed");
      MimeBodyPart body = new MimeBodyPart();
      body.setContent(alternative);
      mixed.addBodyPart(body);
      for (Attachment a : files) {
        byte[] bytes;
        try (InputStream in = blobs.open(m.accountId(), a.blobKey()).orElseThrow(() ->
            new IllegalStateException("attachment " + a.id() + " is missing from the blob store"))) {
          bytes = in.readAllBytes();
        }
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes,
            a.contentType() == null ? "application/octet-stream" : a.contentType())));
        part.setFileName(MimeUtility.encodeText(a.fileName() == null ? "attachment"
            : a.fileName(), StandardCharsets.UTF_8.name(), null));
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        mixed.addBodyPart(part);
      }
      mail.setContent(mixed);
    }
    mail.saveChanges();
    return mail;
  }

  private static List<String> list(Object value) {
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (value instanceof Collection<?> c) {
      c.forEach(v -> out.add(v.toString().strip()));
    } else {
      for (String v : value.toString().split(",")) {
        out.add(v.strip());
      }
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  /**
   * "Re: " and the subject without its reply prefixes ("Re:", "AW:", "SV:", "Antw:", in any
   * number): one prefix at a time, in a loop, since a regular expression repeating the prefix
   * group recurses once per prefix and a subject of thousands of them would overflow the stack.
   */
  static String replySubject(String subject) {
    String s = subject.strip();
    java.util.regex.Matcher m = RE.matcher(s);
    int at = 0;
    while (at < s.length() && m.region(at, s.length()).lookingAt()) {
      at = m.end();
    }
    return "Re: " + s.substring(at);
  }
}
