package io.switchboard.channel.email;

import io.switchboard.Switchboard;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.InboundEvent;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email channel: inbound mail handed over raw ({@link #receive}) or polled from an IMAP
 * mailbox ({@link ImapPoller}), and agent replies sent by SMTP.
 *
 * <p>Inbox settings: {@code email} (the inbox's address, lower-cased; its routing key),
 * {@code inbound_domain} (replies go to {@code reply+<conversation uuid>@<inbound_domain>}),
 * {@code smtp_host}, {@code smtp_port}, {@code smtp_security} ({@code ssl}, {@code starttls}
 * or {@code none}; default starttls), {@code smtp_username}, {@code smtp_password},
 * {@code imap_host}, {@code imap_port}, {@code imap_security} (default ssl),
 * {@code imap_username}, {@code imap_password}, {@code imap_folder} (default INBOX),
 * {@code imap_start} ({@code all}, the default, or {@code new}: skip the mail already in the
 * folder at the first poll) and {@code oauth2} ({@code true}: sign in with a token from the
 * {@link OAuth2TokenSupplier}).
 *
 * <p>Register it with {@code Switchboard.builder().channel(EmailChannel.create())}.
 * Thread-safe.
 */
public final class EmailChannel implements ChannelProvider {
  private static final Logger LOG = LoggerFactory.getLogger(EmailChannel.class);

  private final OAuth2TokenSupplier tokens;
  private final Duration timeout;
  private final SSLSocketFactory tls;
  private volatile ChannelContext context;
  private volatile MailParser parser;

  private EmailChannel(Builder b) {
    this.tokens = b.tokens;
    this.timeout = b.timeout;
    this.tls = b.tls == null ? null : b.tls.getSocketFactory();
  }

  /** An email channel with password authentication and 30-second mail server timeouts. */
  public static EmailChannel create() {
    return builder().build();
  }

  /** A builder for an email channel with an OAuth2 token supplier, other timeouts or TLS trust. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  @Override
  public void init(ChannelContext context) {
    this.context = context;
    this.parser = new MailParser(context.blobs());
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    EmailSettings.of(settings);
  }

  @Override
  public String routingKey(Map<String, String> settings) {
    return EmailSettings.of(settings).email();
  }

  @Override
  public ChannelSender sender(Inbox inbox) {
    return new SmtpSender(inbox, EmailSettings.of(inbox.settings()), context().blobs(), tokens,
        timeout, tls);
  }

  /**
   * Ingests one raw RFC 822 message received for {@code inbox} (from a forwarding service, a
   * mail pipe, or a host's own fetcher). When this returns, the raw message and its event are
   * stored durably and processed; a redelivery of the same Message-ID creates nothing new. A
   * message that cannot be parsed is stored as an {@code unsupported} message carrying the
   * error ({@code content_attributes.parse_error}).
   *
   * @param switchboard the Switchboard this channel is registered on
   * @param inbox an email inbox
   * @param raw the message as received, headers and body
   * @throws io.switchboard.SwitchboardException when the blob store fails to store one of the
   *     mail's attachments (the cause is the store's {@code IOException}): nothing is stored,
   *     so hand the mail over again later (a forwarding service: answer with an error so that
   *     it retries)
   */
  public void receive(Switchboard switchboard, Inbox inbox, byte[] raw) {
    ingest(switchboard, inbox, raw, "forward");
  }

  /** A poller for {@code inbox}'s IMAP mailbox; see {@link ImapPoller}. */
  public ImapPoller imapPoller(Switchboard switchboard, Inbox inbox) {
    return new ImapPoller(this, switchboard, inbox);
  }

  void ingest(Switchboard switchboard, Inbox inbox, byte[] raw, String source) {
    Objects.requireNonNull(raw, "raw");
    if (inbox.channelType() != ChannelType.EMAIL) {
      throw new IllegalArgumentException("inbox " + inbox.id() + " is not an email inbox");
    }
    InboundEvent event = parse(inbox, raw);
    switchboard.incoming().ingest(ChannelType.EMAIL, source, raw,
        List.of(RoutedEvent.of(inbox, event)));
  }

  InboundEvent parse(Inbox inbox, byte[] raw) {
    try {
      return parser().parse(raw, inbox.accountId(), EmailSettings.of(inbox.settings()));
    } catch (AttachmentStorageException e) {
      throw e; // the blob store's outage is not the mail's fault: it is handed over again
    } catch (Exception | StackOverflowError e) {
      // a structure nested deeper than the stack allows is bad input like any other
      LOG.info("mail for inbox {} could not be parsed and is parked: {}", inbox.id(),
          e.getClass().getSimpleName());
      return MailParser.parked(raw, e);
    }
  }

  ChannelContext context() {
    ChannelContext c = context;
    if (c == null) {
      throw new IllegalStateException("the email channel is not registered on a Switchboard");
    }
    return c;
  }

  OAuth2TokenSupplier tokens() {
    return tokens;
  }

  Duration timeout() {
    return timeout;
  }

  /** The socket factory of {@link Builder#tls}, or null for the JVM's default. */
  SSLSocketFactory tls() {
    return tls;
  }

  private MailParser parser() {
    context();
    return parser;
  }

  /** Builds an {@link EmailChannel}. */
  public static final class Builder {
    private OAuth2TokenSupplier tokens;
    private Duration timeout = Duration.ofSeconds(30);
    private SSLContext tls;

    private Builder() {}

    /** Tokens for inboxes with {@code oauth2=true} (XOAUTH2 on SMTP and IMAP). */
    public Builder oauth2(OAuth2TokenSupplier value) {
      this.tokens = Objects.requireNonNull(value, "tokens");
      return this;
    }

    /** Connect and read timeout for SMTP and IMAP servers (default 30 seconds). */
    public Builder timeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = value;
      return this;
    }

    /**
     * The TLS context for SSL and STARTTLS connections to SMTP and IMAP servers. Its trust
     * managers decide which server certificates are accepted: give one that trusts a private
     * CA (or a pinned certificate) when the mail servers do not use a publicly trusted
     * certificate. The server's host name is checked against its certificate whatever the
     * context. Default: the JVM's default context and trust store ({@code cacerts}).
     */
    public Builder tls(SSLContext value) {
      this.tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    public EmailChannel build() {
      return new EmailChannel(this);
    }
  }
}
