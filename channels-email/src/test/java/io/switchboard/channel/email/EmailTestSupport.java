package io.switchboard.channel.email;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.jdbi.Fixture;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the email contracts share: a Switchboard with the email channel on a fresh store, one
 * account with an email inbox whose mailbox is a GreenMail user, recorded mail fixtures and
 * helpers to receive mail and send agent replies.
 */
abstract class EmailTestSupport {
  static final String ADDRESS = "support@acme.test";
  static final String PASSWORD = "mailbox-pw";

  Fixture f;
  EmailChannel channel;
  Account account;
  Inbox inbox;
  GreenMailUser mailbox;
  @TempDir
  Path blobFolder;
  /** The Switchboard's blob store. */
  RecordingBlobStore blobs;
  final List<Long> tokenRequests = new CopyOnWriteArrayList<>();

  abstract Store newStore();

  /** The GreenMail servers of the contract. */
  abstract GreenMailExtension mail();

  /** Host, port and security settings of the inbox's SMTP and IMAP servers. */
  abstract Map<String, String> serverSettings();

  /** SMTP and IMAP servers on 127.0.0.1 with {@code security} ({@code ssl} or {@code none}). */
  static Map<String, String> loopbackServers(int smtpPort, int imapPort, String security) {
    return Map.of("smtp_host", "127.0.0.1", "smtp_port", String.valueOf(smtpPort),
        "smtp_security", security, "imap_host", "127.0.0.1",
        "imap_port", String.valueOf(imapPort), "imap_security", security);
  }

  /** Adds what a contract needs to the channel's builder. */
  EmailChannel.Builder configure(EmailChannel.Builder builder) {
    return builder;
  }

  @BeforeEach
  void setUp() {
    mailbox = mail().setUser(ADDRESS, ADDRESS, PASSWORD);
    start(configure(channelBuilder()));
  }

  /** The test channel's builder: short timeouts, tokens recorded in {@link #tokenRequests}. */
  EmailChannel.Builder channelBuilder() {
    return EmailChannel.builder().timeout(Duration.ofSeconds(10))
        .oauth2(forInbox -> {
          tokenRequests.add(forInbox.id());
          return PASSWORD; // GreenMail checks an XOAUTH2 token like a password
        });
  }

  /** A Switchboard on a fresh store with {@code builder}'s channel, an account and an inbox. */
  void start(EmailChannel.Builder builder) {
    channel = builder.build();
    blobs = new RecordingBlobStore(blobFolder);
    f = new Fixture(newStore(), b -> b.channel(channel).blobStore(blobs));
    account = f.account("Acme");
    inbox = emailInbox("Support", ADDRESS);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  Inbox emailInbox(String name, String address) {
    return emailInbox(name, address, Map.of());
  }

  Inbox emailInbox(String name, String address, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("email", address);
    settings.put("inbound_domain", "inbound.acme.test");
    settings.put("smtp_username", ADDRESS);
    settings.put("smtp_password", PASSWORD);
    settings.put("imap_username", ADDRESS);
    settings.put("imap_password", PASSWORD);
    settings.putAll(serverSettings());
    settings.putAll(extra);
    return f.sb.admin().createInbox(account.id(), InboxDraft.of(name, ChannelType.EMAIL, settings));
  }

  static byte[] eml(String name) throws Exception {
    try (InputStream in = EmailTestSupport.class.getResourceAsStream("/mail/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no mail fixture " + name);
      }
      return in.readAllBytes();
    }
  }

  static byte[] eml(String name, Map<String, String> replacements) throws Exception {
    String text = new String(eml(name), StandardCharsets.UTF_8);
    for (var e : replacements.entrySet()) {
      text = text.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Hands {@code name} to the channel as a forwarded message and returns what was stored. */
  Message receive(Inbox target, String name) throws Exception {
    return receive(target, eml(name));
  }

  /** Hands {@code raw} to the channel as a forwarded message and returns what was stored. */
  Message receive(Inbox target, byte[] raw) {
    int before = created().size();
    channel.receive(f.sb, target, raw);
    List<Message> now = created();
    return now.size() > before ? now.get(now.size() - 1) : null;
  }

  List<Message> created() {
    return f.syncEvents(EventType.MESSAGE_CREATED).stream().map(Event::message)
        .filter(m -> m.contentType() == ContentType.INCOMING_EMAIL
            || m.contentType() == ContentType.UNSUPPORTED)
        .toList();
  }

  Conversation conversation(Message m) {
    return f.sb.conversations().get(account.id(), m.conversationId());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> email(Message m) {
    return (Map<String, Object>) m.contentAttributes().get("email");
  }

  byte[] blob(Attachment a) throws Exception {
    try (InputStream in = f.sb.channelContext().blobs().open(account.id(), a.blobKey())
        .orElseThrow()) {
      return in.readAllBytes();
    }
  }

  User agent() {
    return f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.ADMINISTRATOR,
        "correct horse battery".toCharArray());
  }

  /** An agent's reply to {@code to}'s conversation, once the SMTP server accepted it. */
  Message sentReply(Message to, MessageDraft draft) {
    Message reply = f.sb.messages().reply(account.id(), to.conversationId(), draft,
        Actor.user(agent()));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        f.sb.messages().get(account.id(), reply.id()).sourceId() != null);
    return f.sb.messages().get(account.id(), reply.id());
  }

  /**
   * An agent's reply to {@code to}'s conversation, once its sending failed for good. A mail
   * server's own thread may die of the refused connection: that is not the test's failure.
   */
  Message failedReply(Message to, MessageDraft draft) {
    Message reply = f.sb.messages().reply(account.id(), to.conversationId(), draft,
        Actor.user(agent()));
    await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(20)).until(() ->
        f.sb.messages().get(account.id(), reply.id()).status() == MessageStatus.FAILED);
    return f.sb.messages().get(account.id(), reply.id());
  }

  /** Puts the named fixtures into the inbox's mailbox, as the mail server would. */
  void deliver(String... names) throws Exception {
    for (String name : names) {
      deliver(eml(name));
    }
  }

  /** Puts {@code raw} into the inbox's mailbox, as the mail server would. */
  void deliver(byte[] raw) throws Exception {
    mailbox.deliver(new MimeMessage(Session.getInstance(new Properties()),
        new ByteArrayInputStream(raw)));
  }
}
