package io.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.switchboard.ConversationFilter;
import io.switchboard.MessageDraft;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The email channel against GreenMail on loopback: parsing of authored messages, threading,
 * IMAP polling, SMTP replies and bounces, on a real store.
 */
abstract class EmailContract extends EmailTestSupport {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));

  @Override
  GreenMailExtension mail() {
    return MAIL;
  }

  @Override
  Map<String, String> serverSettings() {
    return loopbackServers(MAIL.getSmtp().getPort(), MAIL.getImap().getPort(), "none");
  }

  // --- MIME ---

  @Test
  void aPlainMailBecomesAConversationWithTheSenderAsContact() throws Exception {
    Message m = receive(inbox, "plain.eml");

    assertThat(m.sourceId()).isEqualTo("plain-1@example.test");
    assertThat(m.contentType()).isEqualTo(ContentType.INCOMING_EMAIL);
    assertThat(m.content()).isEqualTo(
        "Hello,\n\nI ordered a lamp last week and it has not arrived.\nOrder 4711.\n\nDana");
    Contact contact = f.sb.contacts().get(account.id(), m.senderId());
    assertThat(contact.name()).isEqualTo("Dana Scully");
    assertThat(contact.email()).isEqualTo("dana@example.test");
    assertThat(f.sb.contacts().contactInboxes(account.id(), contact.id()))
        .singleElement().satisfies(ci -> assertThat(ci.sourceId()).isEqualTo("dana@example.test"));
    Conversation c = conversation(m);
    assertThat(c.additionalAttributes()).containsEntry("mail_subject", "Where is my order?")
        .doesNotContainKeys("thread_new", "thread_references", "thread_conversation_uuid");
  }

  @Test
  void anHtmlOnlyMailIsReadableTextWithoutScriptsAndKeepsItsSanitizedHtml() throws Exception {
    Message m = receive(inbox, "html-only.eml");

    assertThat(m.content()).isEqualTo("The lamp arrived broken.\n- the shade is cracked\n"
        + "- the bulb is missing\nPlease send a new one \u2014 thanks!");
    @SuppressWarnings("unchecked")
    String html = ((Map<String, Object>) email(m).get("html_content")).get("full").toString();
    assertThat(html).contains("<b>broken</b>", "<li>the shade is cracked</li>")
        .doesNotContain("script", "alert", "onload", "style", "cookie");
    assertThat(f.sb.contacts().get(account.id(), m.senderId()).name()).isEqualTo("Fox Mulder");
  }

  @Test
  void aMultipartMailStoresItsAttachmentAndInlineImageInTheBlobStore() throws Exception {
    Message m = receive(inbox, "attachment-inline.eml");

    assertThat(m.content()).isEqualTo("See the photo below and the invoice attached.");
    assertThat(m.attachments()).hasSize(2);
    Attachment image = m.attachments().get(0);
    assertThat(image.fileType()).isEqualTo(AttachmentType.IMAGE);
    assertThat(image.fileName()).isEqualTo("damage.png");
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.meta()).containsEntry("content_id", "damage@example.test")
        .containsEntry("inline", true);
    assertThat(blob(image)).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Attachment pdf = m.attachments().get(1);
    assertThat(pdf.fileType()).isEqualTo(AttachmentType.FILE);
    assertThat(pdf.fileName()).isEqualTo("invoice.pdf");
    assertThat(new String(blob(pdf), StandardCharsets.ISO_8859_1)).startsWith("%PDF-1.4");
    assertThat(pdf.fileSize()).isEqualTo((long) blob(pdf).length);
    @SuppressWarnings("unchecked")
    String html = ((Map<String, Object>) email(m).get("html_content")).get("full").toString();
    assertThat(html).contains("cid:damage@example.test");
  }

  /** The one attachment of the German mails: a delivery note, its file name decoded. */
  void assertDeliveryNote(Message m) {
    assertThat(m.attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileName()).isEqualTo("Lieferschein Müller.txt");
      assertThat(new String(blob(a), StandardCharsets.US_ASCII)).isEqualTo("Lieferschein 4711\n");
    });
  }

  @Test
  void aLatin1MailWithEncodedWordHeadersIsDecoded() throws Exception {
    Message m = receive(inbox, "latin1.eml");

    assertThat(m.content()).isEqualTo("Grüße aus Köln, wo bleibt die Lieferung?");
    assertThat(f.sb.contacts().get(account.id(), m.senderId()).name()).isEqualTo("Jürgen Müller");
    assertThat(conversation(m).additionalAttributes())
        .containsEntry("mail_subject", "Bestellung für Köln– dringend");
    assertDeliveryNote(m);
  }

  @Test
  void rawUtf8HeadersAreReadAsUtf8() throws Exception {
    Message m = receive(inbox, "utf8-headers.eml");

    assertThat(email(m)).containsEntry("subject", "Привет Grüße");
    assertThat(conversation(m).additionalAttributes())
        .containsEntry("mail_subject", "Привет Grüße");
    Contact contact = f.sb.contacts().get(account.id(), m.senderId());
    assertThat(contact.name()).isEqualTo("Jürgen Müller");
    assertThat(contact.email()).isEqualTo("j2@example.test");
    assertThat(m.content()).isEqualTo("Добрый день, die Lieferung für Köln fehlt noch.");
    assertDeliveryNote(m);
  }

  @Test
  void rawLatin1HeadersAreStillReadAsLatin1() throws Exception {
    Message m = receive(inbox, "latin1-headers.eml");

    assertThat(email(m)).containsEntry("subject", "Grüße aus Köln");
    assertThat(f.sb.contacts().get(account.id(), m.senderId()).name()).isEqualTo("Jürgen Müller");
    assertThat(m.content()).isEqualTo("Wo bleibt die Lieferung für Köln?");
    assertDeliveryNote(m);
  }

  @Test
  void theSameMessageIdHandedOverTwiceIsStoredOnce() throws Exception {
    receive(inbox, "plain.eml");
    receive(inbox, "plain.eml");

    assertThat(created()).hasSize(1);
  }

  // --- threading ---

  @Test
  void aGmailReplyLandsInTheOriginalConversationWithOnlyTheNewText() throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message reply = receive(inbox, "gmail-reply.eml");

    assertThat(reply.conversationId()).isEqualTo(first.conversationId());
    assertThat(reply.content()).isEqualTo("It arrived this morning, thank you!");
    @SuppressWarnings("unchecked")
    Map<String, Object> text = (Map<String, Object>) email(reply).get("text_content");
    assertThat(text.get("full").toString()).contains("wrote:", "> Order 4711.");
    assertThat(reply.contentAttributes()).containsEntry("in_reply_to", first.id());
  }

  @Test
  void anOutlookReplyThreadsByReferencesEvenWhenTheContactHasANewerConversation()
      throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message other = receive(inbox, "new-topic.eml");
    Message reply = receive(inbox, "outlook-reply.eml");

    assertThat(other.conversationId()).isNotEqualTo(first.conversationId());
    assertThat(reply.conversationId()).isEqualTo(first.conversationId());
    assertThat(reply.content()).isEqualTo("The tracking number is 1Z999.");
  }

  @Test
  void aMailWithoutThreadHeadersStartsANewConversationForItsSender() throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message second = receive(inbox, "new-topic.eml");
    Message stranger = receive(inbox, "html-only.eml");

    assertThat(second.conversationId()).isNotEqualTo(first.conversationId());
    assertThat(second.senderId()).isEqualTo(first.senderId());
    assertThat(stranger.conversationId()).isNotIn(first.conversationId(), second.conversationId());
    assertThat(f.sb.conversations().list(account.id(), ConversationFilter.all(), null, 10)
        .items()).hasSize(3);
  }

  @Test
  void aReplyToAResolvedConversationReopensIt() throws Exception {
    Message first = receive(inbox, "plain.eml");
    f.sb.conversations().changeStatus(account.id(), first.conversationId(),
        ConversationStatus.RESOLVED, null, Actor.system());

    Message reply = receive(inbox, "gmail-reply.eml");

    assertThat(reply.conversationId()).isEqualTo(first.conversationId());
    assertThat(conversation(reply).status()).isEqualTo(ConversationStatus.OPEN);
  }

  @Test
  void aReferenceToAMessageOfAnotherInboxIsNotFollowed() throws Exception {
    Inbox sales = emailInbox("Sales", "sales@acme.test");
    Message inSales = receive(sales, "plain.eml");

    Message reply = receive(inbox, "gmail-reply.eml");

    assertThat(reply.inboxId()).isEqualTo(inbox.id());
    assertThat(conversation(reply).inboxId()).isEqualTo(inbox.id());
    assertThat(reply.conversationId()).isNotEqualTo(inSales.conversationId());
  }

  @Test
  void theReplyAddressAloneThreadsAnAnswer() throws Exception {
    Message first = receive(inbox, "plain.eml");
    receive(inbox, "new-topic.eml"); // the contact's newer open conversation

    Message answer = receive(inbox, eml("reply-address-only.eml",
        Map.of("UUID", conversation(first).uuid())));

    assertThat(email(answer)).containsEntry("in_reply_to", List.of())
        .containsEntry("references", List.of());
    assertThat(answer.conversationId()).isEqualTo(first.conversationId());
  }

  @Test
  void inReplyToAloneThreadsAnAnswerToAnAgentReply() throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message reply = sentReply(first, MessageDraft.text("It ships today."));
    receive(inbox, "new-topic.eml");

    Message answer = receive(inbox, eml("in-reply-to-only.eml",
        Map.of("MESSAGE_ID", reply.sourceId())));

    assertThat(email(answer)).containsEntry("references", List.of());
    assertThat(answer.conversationId()).isEqualTo(first.conversationId());
    assertThat(answer.contentAttributes()).containsEntry("in_reply_to", reply.id());
  }

  @Test
  void inReplyToAloneThreadsAnAnswerToAReceivedMail() throws Exception {
    Message first = receive(inbox, "plain.eml");
    receive(inbox, "new-topic.eml");

    Message answer = receive(inbox, eml("in-reply-to-only.eml",
        Map.of("MESSAGE_ID", "plain-1@example.test")));

    assertThat(answer.conversationId()).isEqualTo(first.conversationId());
    assertThat(answer.contentAttributes()).containsEntry("in_reply_to", first.id());
  }

  @Test
  void anIssuedMessageIdThreadsAnAnswerEvenWhenTheSentMessageWasNotStoredUnderIt()
      throws Exception {
    Message first = receive(inbox, "plain.eml");
    receive(inbox, "new-topic.eml");
    // the id of a reply whose send succeeded but whose source id was never committed
    String issued = "conversation/" + conversation(first).uuid()
        + "/messages/999999@inbound.acme.test";

    Message answer = receive(inbox, eml("in-reply-to-only.eml", Map.of("MESSAGE_ID", issued)));

    assertThat(answer.conversationId()).isEqualTo(first.conversationId());
  }

  @Test
  void theReplyAddressWinsOverAnInReplyToOfAnotherConversation() throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message other = receive(inbox, "new-topic.eml");
    Message replyInOther = sentReply(other, MessageDraft.text("We do."));

    Message answer = receive(inbox, eml("conflicting-hints.eml", Map.of(
        "UUID", conversation(first).uuid(), "MESSAGE_ID", replyInOther.sourceId())));

    assertThat(other.conversationId()).isNotEqualTo(first.conversationId());
    assertThat(answer.conversationId()).isEqualTo(first.conversationId());
    assertThat(answer.contentAttributes()).containsEntry("in_reply_to", replyInOther.id());
  }

  // --- auto-replies, bounces, parked mail ---

  @Test
  void anAutoReplyIsFlagged() throws Exception {
    Message m = receive(inbox, "auto-reply.eml");

    assertThat(m.contentAttributes()).containsEntry("auto_reply", true);
    assertThat(m.contentAttributes().get("auto_reply_reason").toString())
        .startsWith("Auto-Submitted");
    assertThat(receive(inbox, "plain.eml").contentAttributes()).doesNotContainKey("auto_reply");
  }

  @Test
  void anXAutoreplyHeaderAloneFlagsAnAutoReply() throws Exception {
    Message m = receive(inbox, "x-autoreply.eml");

    assertThat(m.contentAttributes()).containsEntry("auto_reply", true)
        .containsEntry("auto_reply_reason", "X-Autoreply: yes");
  }

  @Test
  void aPrecedenceHeaderAloneFlagsBulkMailAndAutoRepliesButNotListMail() throws Exception {
    Message bulk = receive(inbox, eml("precedence.eml", Map.of("PRECEDENCE", "bulk")));
    Message autoReply = receive(inbox, eml("precedence.eml",
        Map.of("PRECEDENCE", "auto_reply")));
    Message list = receive(inbox, eml("precedence.eml", Map.of("PRECEDENCE", "list")));

    assertThat(bulk.contentAttributes()).containsEntry("auto_reply", true)
        .containsEntry("auto_reply_reason", "Precedence: bulk");
    assertThat(autoReply.contentAttributes()).containsEntry("auto_reply", true)
        .containsEntry("auto_reply_reason", "Precedence: auto_reply");
    assertThat(list.contentAttributes()).doesNotContainKey("auto_reply");
  }

  @Test
  void aMailThatCannotBeParsedIsParkedWithItsError() throws Exception {
    Message m = receive(inbox, "broken.eml");

    assertThat(m.contentType()).isEqualTo(ContentType.UNSUPPORTED);
    assertThat(m.sourceId()).isEqualTo("broken-8@example.test");
    assertThat(m.contentAttributes().get("parse_error").toString()).contains("boundary");
    assertThat(f.sb.contacts().get(account.id(), m.senderId()).email())
        .isEqualTo("broken@example.test");
  }

  // --- SMTP ---

  @Test
  void anAgentReplyArrivesWithThreadingHeadersAndTheCustomersAnswerThreadsBack()
      throws Exception {
    Message first = receive(inbox, "plain.eml");
    Conversation c = conversation(first);
    Message reply = sentReply(first, MessageDraft.builder().content("It ships today.")
        .contentAttribute("cc_emails", List.of("scully.office@example.test")).build());

    String messageId = "conversation/" + c.uuid() + "/messages/" + reply.id()
        + "@inbound.acme.test";
    assertThat(reply.sourceId()).isEqualTo(messageId);
    assertThat(reply.status()).isEqualTo(MessageStatus.SENT);
    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= 2);
    MimeMessage mail = MAIL.getReceivedMessages()[0];
    assertThat(mail.getHeader("Message-ID", null)).isEqualTo("<" + messageId + ">");
    assertThat(mail.getHeader("In-Reply-To", null)).isEqualTo("<plain-1@example.test>");
    assertThat(mail.getHeader("References", null)).contains("<plain-1@example.test>");
    assertThat(mail.getHeader("Reply-To", null))
        .isEqualTo("reply+" + c.uuid() + "@inbound.acme.test");
    assertThat(mail.getSubject()).isEqualTo("Re: Where is my order?");
    assertThat(mail.getHeader("To", null)).isEqualTo("dana@example.test");
    assertThat(mail.getHeader("Cc", null)).isEqualTo("scully.office@example.test");
    assertThat(mail.getFrom()[0].toString()).contains(ADDRESS);
    assertThat(mail.getContentType()).startsWith("multipart/alternative");
    assertThat(MAIL.getReceivedMessagesForDomain("example.test")).hasSize(2);
  }

  @Test
  void theCustomersAnswerToAnAgentReplyThreadsBackIntoTheConversation() throws Exception {
    Message first = receive(inbox, "plain.eml");
    receive(inbox, "new-topic.eml"); // a newer open conversation of the same contact
    Conversation c = conversation(first);
    Message reply = sentReply(first, MessageDraft.text("It ships today."));

    channel.receive(f.sb, inbox, eml("answer-to-agent.eml",
        Map.of("UUID", c.uuid(), "MESSAGE_ID", reply.sourceId())));
    Message answer = created().get(created().size() - 1);

    assertThat(answer.sourceId()).isEqualTo("answer-7@example.test");
    assertThat(answer.conversationId()).isEqualTo(first.conversationId());
    assertThat(answer.content()).isEqualTo("Great, I will wait for it.");
    assertThat(answer.contentAttributes()).containsEntry("in_reply_to", reply.id());
  }

  @Test
  void aBccRecipientGetsTheReplyAndNoDeliveredCopyNamesIt() throws Exception {
    Message first = receive(inbox, "plain.eml");

    sentReply(first, MessageDraft.builder().content("It ships today.")
        .contentAttribute("bcc_emails", "boss@example.test, audit@acme.test").build());

    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= 3);
    assertThat(MAIL.findReceivedMessages(u -> u.getEmail().equals("boss@example.test"),
        m -> true)).hasSize(1);
    assertThat(MAIL.findReceivedMessages(u -> u.getEmail().equals("audit@acme.test"),
        m -> true)).hasSize(1);
    for (MimeMessage delivered : MAIL.getReceivedMessages()) {
      assertThat(delivered.getHeader("Bcc")).isNull();
      assertThat(new String(raw(delivered), StandardCharsets.UTF_8))
          .doesNotContain("boss@example.test", "audit@acme.test");
    }
  }

  @Test
  void aLongReferencesChainIsFoldedAndKeepsTheThreadsLastTwentyIds() throws Exception {
    Message first = receive(inbox, "long-references.eml");

    sentReply(first, MessageDraft.text("Thanks for your patience."));

    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= 1);
    MimeMessage mail = MAIL.getReceivedMessages()[0];
    List<String> lines = headerLines(mail, "References");
    assertThat(lines).hasSizeGreaterThan(10)
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
    assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).startsWith(" "));
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 7; i <= 25; i++) {
      expected.add(String.format("thread-%02d.a1b2c3d4e5f6@mail.example.test", i));
    }
    expected.add("long-thread-26@example.test");
    assertThat(MailParser.ids(String.join("", lines).substring("References:".length())))
        .containsExactlyElementsOf(expected);
    assertThat(mail.getHeader("In-Reply-To", null)).isEqualTo("<long-thread-26@example.test>");
  }

  @Test
  void anAgentReplyHasItsTextAsThePlainBodyAndEscapedInTheHtmlBody() throws Exception {
    Message first = receive(inbox, "plain.eml");

    sentReply(first, MessageDraft.text("Order <4711> & the lamp:\nit ships today."));

    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= 1);
    var alternative = (jakarta.mail.Multipart) MAIL.getReceivedMessages()[0].getContent();
    assertThat(alternative.getCount()).isEqualTo(2);
    assertThat(alternative.getBodyPart(0).isMimeType("text/plain")).isTrue();
    assertThat(alternative.getBodyPart(0).getContent().toString().replace("\r\n", "\n"))
        .isEqualTo("Order <4711> & the lamp:\nit ships today.");
    assertThat(alternative.getBodyPart(1).isMimeType("text/html")).isTrue();
    assertThat(alternative.getBodyPart(1).getContent().toString().replace("\r\n", "\n"))
        .isEqualTo("<html><body><div dir=\"auto\">Order &lt;4711&gt; &amp; the lamp:<br>\n"
            + "it ships today.</div></body></html>");
  }

  static byte[] raw(MimeMessage mail) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    mail.writeTo(out);
    return out.toByteArray();
  }

  /** The header's lines as sent, folding kept: the first one and its continuation lines. */
  static List<String> headerLines(MimeMessage mail, String name) throws Exception {
    String head = new String(raw(mail), StandardCharsets.UTF_8).split("\r\n\r\n", 2)[0];
    List<String> lines = new java.util.ArrayList<>();
    for (String line : head.split("\r\n")) {
      if (lines.isEmpty() ? line.startsWith(name + ":")
          : line.startsWith(" ") || line.startsWith("\t")) {
        lines.add(line);
      } else if (!lines.isEmpty()) {
        break;
      }
    }
    return lines;
  }

  @Test
  void anAgentReplyCarriesItsAttachments() throws Exception {
    Message first = receive(inbox, "plain.eml");
    String key = f.sb.channelContext().blobs().put(account.id(), "label.txt",
        new ByteArrayInputStream("return label".getBytes(StandardCharsets.UTF_8)));
    Attachment label = new Attachment(0, 0, 0, AttachmentType.FILE, null, key, "label.txt",
        "text/plain", 12L, null, null, Map.of());

    sentReply(first, MessageDraft.builder().content("Label attached.").attachment(label).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= 1);
    MimeMessage mail = MAIL.getReceivedMessages()[0];
    assertThat(mail.getContentType()).startsWith("multipart/mixed");
    var mixed = (jakarta.mail.Multipart) mail.getContent();
    assertThat(mixed.getCount()).isEqualTo(2);
    assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("label.txt");
    assertThat(new String(mixed.getBodyPart(1).getInputStream().readAllBytes(),
        StandardCharsets.UTF_8)).isEqualTo("return label");
  }

  @Test
  void anOAuth2InboxSendsWithATokenFromTheSupplier() throws Exception {
    Inbox oauth = emailInbox("OAuth", "oauth@acme.test",
        Map.of("oauth2", "true", "smtp_password", "not-used"));
    Message first = receive(oauth, "plain.eml");

    Message reply = sentReply(first, MessageDraft.text("Signed in with a token."));

    assertThat(reply.status()).isEqualTo(MessageStatus.SENT);
    assertThat(tokenRequests).contains(oauth.id());
    assertThat(MAIL.getReceivedMessages()).isNotEmpty();
  }

  @Test
  void aBounceMarksTheOriginalOutgoingMessageFailedInsteadOfOpeningAConversation()
      throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message reply = sentReply(first, MessageDraft.text("It ships today."));

    channel.receive(f.sb, inbox, eml("bounce.eml", Map.of("ORIGINAL_ID", reply.sourceId())));

    Message failed = f.sb.messages().get(account.id(), reply.id());
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.contentAttributes().get("external_error").toString())
        .contains("550 5.1.1", "User unknown");
    assertThat(f.sb.conversations().list(account.id(), ConversationFilter.all(), null, 10)
        .items()).hasSize(1);
    assertThat(created()).hasSize(1);
  }

  @Test
  void aServerWithoutStarttlsIsRefusedWhenStarttlsIsRequired() throws Exception {
    // GreenMail's plain servers offer no STARTTLS, as a downgrading attacker would
    Inbox starttls = emailInbox("StartTLS", "starttls@acme.test",
        Map.of("smtp_security", "starttls", "imap_security", "starttls"));
    Message first = receive(starttls, "plain.eml");
    deliver("html-only.eml");

    Message reply = failedReply(first, MessageDraft.text("Never sent in clear."));

    assertThat(reply.contentAttributes()).containsEntry("external_error",
        "tls_failed: the SMTP server 127.0.0.1:" + MAIL.getSmtp().getPort()
        + " does not offer STARTTLS, which smtp_security=starttls requires");
    assertThat(MAIL.getReceivedMessagesForDomain("example.test")).isEmpty();
    assertThatThrownBy(() -> channel.imapPoller(f.sb, starttls).poll())
        .isInstanceOf(jakarta.mail.MessagingException.class)
        .hasMessage("the IMAP server 127.0.0.1:" + MAIL.getImap().getPort()
            + " does not offer STARTTLS, which imap_security=starttls requires");
    assertThat(created()).hasSize(1);
  }

  @Test
  void aReportWhereALaterRecipientFailedMarksTheMessageFailedWithThatRecipient()
      throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message reply = sentReply(first, MessageDraft.builder().content("It ships today.")
        .contentAttribute("cc_emails", List.of("walter@example.test")).build());

    channel.receive(f.sb, inbox, eml("bounce-partial.eml",
        Map.of("ORIGINAL_ID", reply.sourceId())));

    Message failed = f.sb.messages().get(account.id(), reply.id());
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.contentAttributes().get("external_error").toString())
        .contains("walter@example.test", "status 5.2.2", "Mailbox full")
        .doesNotContain("dana@example.test");
    assertThat(created()).hasSize(1);
  }

  @Test
  void aBounceOfAMessageSwitchboardDidNotSendIsStoredAsAFlaggedMessageFromItsSender()
      throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message reply = sentReply(first, MessageDraft.text("It ships today."));

    // a mail another client sent from the same mailbox
    Message bounce = receive(inbox, eml("bounce.eml",
        Map.of("ORIGINAL_ID", "sent-by-outlook-3@acme.test")));

    assertThat(bounce.contentType()).isEqualTo(ContentType.INCOMING_EMAIL);
    assertThat(bounce.sourceId()).isEqualTo("bounce-6@mx.acme.test");
    assertThat(bounce.contentAttributes()).containsEntry("bounce", true)
        .containsEntry("bounce_original_message_id", "sent-by-outlook-3@acme.test")
        .containsEntry("auto_reply", true);
    assertThat(bounce.contentAttributes().get("bounce_error").toString())
        .contains("rfc822; dana@example.test", "status 5.1.1", "550 5.1.1", "User unknown");
    assertThat(bounce.content()).startsWith("This is the mail system at host mx.acme.test.");
    assertThat(f.sb.contacts().get(account.id(), bounce.senderId()).email())
        .isEqualTo("mailer-daemon@mx.acme.test");
    assertThat(bounce.conversationId()).isNotEqualTo(first.conversationId());
    assertThat(f.sb.messages().get(account.id(), reply.id()).status())
        .isEqualTo(MessageStatus.SENT);
  }

  @Test
  void aDelayReportIsStoredAsAnOrdinaryMessageAndFailsNothing() throws Exception {
    Message first = receive(inbox, "plain.eml");
    Message reply = sentReply(first, MessageDraft.text("It ships today."));
    String delayed = new String(eml("bounce.eml", Map.of("ORIGINAL_ID", reply.sourceId())),
        StandardCharsets.UTF_8).replace("Action: failed", "Action: delayed");

    Message report = receive(inbox, delayed.getBytes(StandardCharsets.UTF_8));

    assertThat(report.contentAttributes()).doesNotContainKey("bounce");
    assertThat(f.sb.messages().get(account.id(), reply.id()).status())
        .isEqualTo(MessageStatus.SENT);
  }

  @Test
  void aPermanentSmtpRejectionFailsTheReplyWithTheServersAnswer() throws Exception {
    try (ScriptedSmtpServer smtp = ScriptedSmtpServer.start(
        "550 5.1.1 <dana@example.test>: Recipient address rejected: User unknown")) {
      Inbox rejecting = emailInbox("Rejecting", "rejecting@acme.test",
          Map.of("smtp_port", String.valueOf(smtp.port()), "smtp_username", ""));
      Message first = receive(rejecting, "plain.eml");

      Message reply = failedReply(first, MessageDraft.text("It ships today."));

      assertThat(reply.sourceId()).isNull();
      assertThat(reply.contentAttributes()).containsEntry("external_error",
          "550: 550 5.1.1 <dana@example.test>: Recipient address rejected: User unknown");
      assertThat(smtp.accepted()).isEmpty();
    }
  }

  @Test
  void aTemporarySmtpRejectionIsRetriedUntilTheServerAccepts() throws Exception {
    try (ScriptedSmtpServer smtp = ScriptedSmtpServer.start(
        "451 4.7.1 Greylisted, try again later", "421 4.3.2 Service shutting down")) {
      Inbox greylisting = emailInbox("Greylisting", "greylisting@acme.test",
          Map.of("smtp_port", String.valueOf(smtp.port()), "smtp_username", ""));
      Message first = receive(greylisting, "plain.eml");

      Message reply = sentReply(first, MessageDraft.text("It ships today."));

      assertThat(reply.status()).isEqualTo(MessageStatus.SENT);
      assertThat(reply.contentAttributes()).doesNotContainKey("external_error");
      assertThat(smtp.connections()).isEqualTo(3);
      assertThat(smtp.accepted()).singleElement().asString()
          .contains("Message-ID: <" + reply.sourceId() + ">");
    }
  }

  @Test
  void aTemporaryLoginFailureIsRetriedAndDoesNotAskForReauthorization() throws Exception {
    try (ScriptedSmtpServer smtp = ScriptedSmtpServer.withAuth(
        "454 4.7.0 Temporary authentication failure")) {
      Inbox busy = emailInbox("Busy", "busy@acme.test",
          Map.of("smtp_port", String.valueOf(smtp.port())));
      Message first = receive(busy, "plain.eml");

      Message reply = sentReply(first, MessageDraft.text("It ships today."));

      assertThat(reply.status()).isEqualTo(MessageStatus.SENT);
      assertThat(smtp.connections()).isEqualTo(2);
      assertThat(smtp.accepted()).singleElement().asString()
          .contains("Message-ID: <" + reply.sourceId() + ">");
      assertThat(f.sb.admin().inbox(account.id(), busy.id()).reauthorizationRequired()).isFalse();
    }
  }

  // --- IMAP ---

  /** Marks every message of the mailbox as read, as another mail client would. */
  void readElsewhere() throws Exception {
    Session session = Session.getInstance(new Properties());
    try (var store = session.getStore("imap")) {
      store.connect("127.0.0.1", MAIL.getImap().getPort(), ADDRESS, PASSWORD);
      Folder folder = store.getFolder("INBOX");
      folder.open(Folder.READ_WRITE);
      folder.setFlags(1, folder.getMessageCount(), new Flags(Flags.Flag.SEEN), true);
      folder.close(false);
    }
  }

  @Test
  void mailAlreadyReadElsewhereIsIngestedAndPollingTwiceCreatesNothingTwice() throws Exception {
    deliver("plain.eml", "html-only.eml");
    readElsewhere();

    pollTwice(2);

    assertThat(created()).extracting(Message::sourceId)
        .containsExactly("plain-1@example.test", "html-1@example.test");
  }

  @Test
  void aRestartedPollerResumesFromTheStoredUid() throws Exception {
    deliver("plain.eml", "html-only.eml");
    assertThat(channel.imapPoller(f.sb, inbox).poll()).isEqualTo(2);
    deliver("gmail-reply.eml");

    ImapPoller restarted = channel.imapPoller(f.sb, inbox);

    assertThat(restarted.poll()).isEqualTo(1);
    assertThat(f.sb.channelContext().state().get("email:" + inbox.id() + ":imap:INBOX"))
        .hasValueSatisfying(v -> assertThat(v).endsWith(":3"));
    assertThat(created()).extracting(Message::sourceId).containsExactly(
        "plain-1@example.test", "html-1@example.test", "CAGmail-reply-2@mail.example.test");
    assertThat(created().get(2).conversationId()).isEqualTo(created().get(0).conversationId());
  }

  @Test
  void pollingLeavesUnreadMailUnreadForOtherClients() throws Exception {
    deliver("plain.eml");

    channel.imapPoller(f.sb, inbox).poll();

    Session session = Session.getInstance(new Properties());
    try (var store = session.getStore("imap")) {
      store.connect("127.0.0.1", MAIL.getImap().getPort(), ADDRESS, PASSWORD);
      Folder folder = store.getFolder("INBOX");
      folder.open(Folder.READ_ONLY);
      assertThat(folder.getUnreadMessageCount()).isEqualTo(1);
      folder.close(false);
    }
  }

  @Test
  void aNewUidValidityFetchesTheFolderAgainWithoutDuplicates() throws Exception {
    deliver("plain.eml", "html-only.eml");
    String key = "email:" + inbox.id() + ":imap:INBOX";
    long validity;
    try (var store = Session.getInstance(new Properties()).getStore("imap")) {
      store.connect("127.0.0.1", MAIL.getImap().getPort(), ADDRESS, PASSWORD);
      validity = ((jakarta.mail.UIDFolder) store.getFolder("INBOX")).getUIDValidity();
    }
    // a position far ahead, recorded under an older UIDVALIDITY
    f.sb.channelContext().state().put(key, (validity - 1) + ":99");

    assertThat(channel.imapPoller(f.sb, inbox).poll()).isEqualTo(2);
    channel.receive(f.sb, inbox, eml("plain.eml"));

    assertThat(created()).hasSize(2);
    assertThat(f.sb.channelContext().state().get(key)).hasValueSatisfying(v ->
        assertThat(v).isEqualTo(validity + ":2"));
  }

  @Test
  void anInboxStartingWithNewMailSkipsTheMailboxsHistory() throws Exception {
    Inbox fresh = emailInbox("Fresh", "fresh@acme.test", Map.of("imap_start", "new"));
    deliver("plain.eml", "html-only.eml");
    ImapPoller poller = channel.imapPoller(f.sb, fresh);

    assertThat(poller.poll()).isZero();
    deliver("gmail-reply.eml");

    assertThat(poller.poll()).isEqualTo(1);
    assertThat(created()).extracting(Message::sourceId)
        .containsExactly("CAGmail-reply-2@mail.example.test");
  }

  @Test
  void anUnknownImapStartIsRefused() {
    assertThatThrownBy(() -> emailInbox("Bad", "bad@acme.test", Map.of("imap_start", "today")))
        .isInstanceOf(io.switchboard.ValidationException.class)
        .hasMessageContaining("imap_start");
  }

  @Test
  void aMessageIdDeliveredTwiceToTheMailboxIsStoredOnce() throws Exception {
    deliver("plain.eml", "plain.eml");

    assertThat(channel.imapPoller(f.sb, inbox).poll()).isEqualTo(2);

    assertThat(created()).hasSize(1);
  }

  @Test
  void anOAuth2InboxSignsInToImapWithATokenFromTheSupplier() throws Exception {
    // GreenMail's IMAP offers no AUTH=XOAUTH2: Angus signs in by LOGIN with the token, which
    // GreenMail checks like a password; the wrong imap_password shows it was not used
    Inbox oauth = emailInbox("OAuth", "oauth@acme.test",
        Map.of("oauth2", "true", "imap_password", "not-used"));
    deliver("plain.eml");

    assertThat(channel.imapPoller(f.sb, oauth).poll()).isEqualTo(1);

    assertThat(tokenRequests).containsExactly(oauth.id());
    assertThat(created()).singleElement().satisfies(m -> assertThat(m.inboxId())
        .isEqualTo(oauth.id()));
  }

  @Test
  void anImapLoginWithTheWrongPasswordIsRefused() {
    Inbox wrong = emailInbox("Wrong", "wrong@acme.test", Map.of("imap_password", "not-used"));

    assertThatThrownBy(() -> channel.imapPoller(f.sb, wrong).poll())
        .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
    assertThat(tokenRequests).isEmpty();
  }

  /** Polls the inbox's mailbox twice: the first poll hands over {@code count} mails, then none. */
  void pollTwice(int count) throws Exception {
    ImapPoller poller = channel.imapPoller(f.sb, inbox);
    assertThat(poller.poll()).isEqualTo(count);
    assertThat(poller.poll()).isZero();
  }

  /** A reply above {@code lines} quoted lines, as a mail client quotes a long thread or log. */
  static byte[] longQuoteReply(int lines) throws Exception {
    StringBuilder quote = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      quote.append("> 2026-11-23 09:").append(i % 60).append(" worker-").append(i % 7)
          .append(" retrying delivery ").append(i).append("\n");
    }
    return eml("long-quote.eml", Map.of("QUOTE", quote.toString()));
  }

  @Test
  void aReplyAboveThousandsOfQuotedLinesKeepsItsNewTextAndThePollerMovesOn() throws Exception {
    deliver(longQuoteReply(5_000));
    deliver("plain.eml");

    pollTwice(2);

    assertThat(created()).extracting(Message::sourceId)
        .containsExactly("long-quote-1@mail.example.test", "plain-1@example.test");
    Message reply = created().get(0);
    assertThat(reply.contentType()).isEqualTo(ContentType.INCOMING_EMAIL);
    assertThat(reply.content()).isEqualTo("Thanks!");
    @SuppressWarnings("unchecked")
    Map<String, Object> text = (Map<String, Object>) email(reply).get("text_content");
    assertThat(text).containsEntry("reply", "Thanks!");
    assertThat(text.get("full").toString()).startsWith("Thanks!\n\nOn Mon, Dana wrote:\n> ")
        .contains("\n> 2026-11-23 09:20 worker-5 retrying delivery 2000\n");
  }

  @Test
  void aStackOverflowWhileAMailIsReadParksItAndThePollerMovesOn() throws Exception {
    // a structure nested deeper than the stack allows; here the blob store overflows, after
    // the first attachment of the mail was stored
    deliver("attachment-inline.eml", "plain.eml");
    blobs.failPut(2, new StackOverflowError());

    pollTwice(2);

    assertThat(created()).extracting(Message::sourceId)
        .containsExactly("attach-1@example.test", "plain-1@example.test");
    Message parked = created().get(0);
    assertThat(parked.contentType()).isEqualTo(ContentType.UNSUPPORTED);
    assertThat(parked.contentAttributes()).containsEntry("parked", true)
        .containsEntry("parse_error",
            "StackOverflowError: the message is nested too deeply or too complex to read");
    assertThat(created().get(1).contentType()).isEqualTo(ContentType.INCOMING_EMAIL);
    assertThat(blobs.deleted).containsExactlyElementsOf(blobs.stored).hasSize(1);
  }

  @Test
  void aBlobStoreOutageStopsThePollBeforeTheMailAndTheNextPollStoresItWhole() throws Exception {
    deliver("plain.eml", "attachment-inline.eml", "html-only.eml");
    blobs.failPut(2, new IOException("No space left on device"));
    ImapPoller poller = channel.imapPoller(f.sb, inbox);

    assertThatThrownBy(poller::poll).isInstanceOf(io.switchboard.SwitchboardException.class)
        .hasCauseInstanceOf(IOException.class).hasRootCauseMessage("No space left on device");
    assertThat(created()).extracting(Message::sourceId).containsExactly("plain-1@example.test");
    assertThat(blobs.stored).hasSize(1);
    assertThat(blobs.deleted).containsExactlyElementsOf(blobs.stored);

    assertThat(poller.poll()).isEqualTo(2);

    assertThat(created()).extracting(Message::sourceId).containsExactly(
        "plain-1@example.test", "attach-1@example.test", "html-1@example.test");
    Message m = created().get(1);
    assertThat(m.contentType()).isEqualTo(ContentType.INCOMING_EMAIL);
    assertThat(m.attachments()).extracting(Attachment::fileName)
        .containsExactly("damage.png", "invoice.pdf");
    assertThat(blob(m.attachments().get(0))).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    assertThat(new String(blob(m.attachments().get(1)), StandardCharsets.ISO_8859_1))
        .startsWith("%PDF-1.4");
  }

  @Test
  void aBlobStoreOutageMakesReceiveThrowAndAMailHandedOverAgainIsStoredWhole() throws Exception {
    blobs.failPut(1, new IOException("Connection reset"));

    assertThatThrownBy(() -> receive(inbox, "attachment-inline.eml"))
        .isInstanceOf(io.switchboard.SwitchboardException.class)
        .hasMessageContaining("hand the mail over again")
        .hasRootCauseMessage("Connection reset");
    assertThat(created()).isEmpty();

    Message m = receive(inbox, "attachment-inline.eml");

    assertThat(m.contentType()).isEqualTo(ContentType.INCOMING_EMAIL);
    assertThat(m.attachments()).hasSize(2);
    assertThat(blobs.deleted).isEmpty();
  }

  @Test
  void anAttachmentThatCannotBeDecodedIsParkedNotRetried() throws Exception {
    String raw = new String(eml("attachment-inline.eml"), StandardCharsets.US_ASCII);
    // cut the PDF's base64 so that its last group is one character short
    int pdf = raw.indexOf("JVBERi0");
    String truncated = raw.substring(0, pdf) + "JVBERi0xLjQK\nJ\n" + raw.substring(
        raw.indexOf("\n--", pdf) + 1);

    Message m = receive(inbox, truncated.getBytes(StandardCharsets.US_ASCII));

    assertThat(m.contentType()).isEqualTo(ContentType.UNSUPPORTED);
    assertThat(m.contentAttributes().get("parse_error").toString()).contains("BASE64");
    assertThat(blobs.deleted).containsExactlyElementsOf(blobs.stored).hasSize(1);
  }

  @Test
  void anUnparseableMessageInTheMailboxIsParkedAndDoesNotBlockTheOthers() throws Exception {
    deliver("plain.eml", "broken.eml", "html-only.eml");

    pollTwice(3);

    assertThat(created()).extracting(Message::contentType).containsExactly(
        ContentType.INCOMING_EMAIL, ContentType.UNSUPPORTED, ContentType.INCOMING_EMAIL);
    assertThat(created().get(1).contentAttributes()).containsKey("parse_error");
  }
}
