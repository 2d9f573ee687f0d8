package io.switchboard.channel.email;

import io.switchboard.Switchboard;
import io.switchboard.channel.ChannelState;
import io.switchboard.model.Inbox;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one inbox's IMAP mailbox. Each {@link #poll()} opens the folder read-only, fetches
 * every message whose UID is above the last one handed over (read or not: flags are neither
 * looked at nor changed), ingests each one durably, and stores the folder's UIDVALIDITY and
 * the last UID in the channel state after each message. A restart resumes from there; a new
 * UIDVALIDITY starts over, and the Message-ID idempotency keeps that from creating anything
 * twice. A message that cannot be parsed is parked as an {@code unsupported} message and the
 * poller moves on; a message whose attachment the blob store fails to store stops the poll
 * before it, so that the next poll fetches it again.
 *
 * <p>The first poll of a folder fetches the mail already in it, unless the inbox's
 * {@code imap_start} setting is {@code new}: then it only records where the folder ends, and
 * later polls fetch what arrives after that.
 *
 * <p>Not thread-safe: call {@code poll()} from one thread per inbox, for example a scheduled
 * executor every minute. It blocks on network I/O.
 */
public final class ImapPoller {
  private static final Logger LOG = LoggerFactory.getLogger(ImapPoller.class);
  private static final int BATCH = 50;

  private final EmailChannel channel;
  private final Switchboard switchboard;
  private final Inbox inbox;
  private final EmailSettings settings;

  ImapPoller(EmailChannel channel, Switchboard switchboard, Inbox inbox) {
    this.channel = channel;
    this.switchboard = switchboard;
    this.inbox = inbox;
    this.settings = EmailSettings.of(inbox.settings());
    if (settings.imapHost() == null) {
      throw new IllegalArgumentException("inbox " + inbox.id() + " has no imap_host setting");
    }
  }

  /**
   * Fetches and ingests the new messages of the mailbox.
   *
   * @return how many messages were handed over (parked ones included)
   * @throws MessagingException when the server cannot be reached or refuses the login, or TLS
   *     fails (its message then says whether the certificate is not trusted, does not name the
   *     host, or STARTTLS is missing); the stored position is unchanged, so the next poll
   *     fetches the same messages
   * @throws io.switchboard.SwitchboardException when the blob store fails to store an
   *     attachment (the cause is the store's {@code IOException}); the messages before that one
   *     are handed over and the position stays before it, so the next poll fetches it again
   */
  public int poll() throws Exception {
    ChannelState state = channel.context().state();
    String key = "email:" + inbox.id() + ":imap:" + settings.imapFolder();
    Session session = Session.getInstance(properties());
    int handed = 0;
    try (Store store = session.getStore(settings.imapSecurity() == EmailSettings.Security.SSL
        ? "imaps" : "imap")) {
      String password = settings.imapPassword();
      if (settings.oauth2() && channel.tokens() != null) {
        password = channel.tokens().accessToken(inbox);
      }
      connect(store, password);
      Folder folder = store.getFolder(settings.imapFolder());
      folder.open(Folder.READ_ONLY);
      try {
        UIDFolder uids = (UIDFolder) folder;
        long validity = uids.getUIDValidity();
        long last = 0;
        String[] stored = state.get(key).map(v -> v.split(":")).orElse(null);
        if (stored != null && stored.length == 2 && Long.parseLong(stored[0]) == validity) {
          last = Long.parseLong(stored[1]);
        } else if (stored != null) {
          LOG.info("imap folder of inbox {} has a new UIDVALIDITY; fetching it again", inbox.id());
        } else if (settings.imapStartNew()) {
          int count = folder.getMessageCount();
          last = count == 0 ? 0 : uids.getUID(folder.getMessage(count));
          state.put(key, validity + ":" + last);
          LOG.debug("first imap poll of inbox {} starts after uid {}", inbox.id(), last);
        }
        while (true) {
          Message[] batch = uids.getMessagesByUID(last + 1, UIDFolder.MAXUID);
          FetchProfile profile = new FetchProfile();
          profile.add(UIDFolder.FetchProfileItem.UID);
          folder.fetch(batch, profile);
          int inBatch = 0;
          for (Message m : batch) {
            if (m == null) {
              continue;
            }
            long uid = uids.getUID(m);
            // "n:*" always returns the last message, even when its UID is below n
            if (uid <= last) {
              continue;
            }
            byte[] raw = raw(m, validity, uid);
            channel.ingest(switchboard, inbox, raw, "imap:" + settings.imapFolder());
            last = uid;
            state.put(key, validity + ":" + last);
            handed++;
            if (++inBatch >= BATCH) {
              break;
            }
          }
          if (inBatch < BATCH) {
            break;
          }
        }
      } finally {
        if (folder.isOpen()) {
          folder.close(false);
        }
      }
    }
    LOG.debug("imap poll of inbox {} handed over {} messages", inbox.id(), handed);
    return handed;
  }

  private void connect(Store store, String password) throws MessagingException {
    try {
      store.connect(settings.imapHost(), settings.imapPort(), settings.imapUsername(), password);
    } catch (MessagingException e) {
      String tls = TlsFailure.describe(e, "IMAP", settings.imapHost(), settings.imapPort());
      if (tls == null) {
        throw e;
      }
      throw new MessagingException(tls, e);
    }
  }

  /** The message's bytes; a message the server cannot render is parked with the error. */
  private byte[] raw(Message m, long validity, long uid) throws MessagingException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      m.writeTo(out);
      return out.toByteArray();
    } catch (FolderClosedException | StoreClosedException e) {
      throw e;
    } catch (IOException | MessagingException e) {
      byte[] partial = out.toByteArray();
      return partial.length > 0 ? partial : ("X-Switchboard-Fetch-Error: "
          + e.getClass().getSimpleName() + "\r\nMessage-ID: <imap-" + validity + "-" + uid + "."
          + inbox.id() + "@switchboard.invalid>\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    String ms = String.valueOf(channel.timeout().toMillis());
    for (String proto : new String[] {"imap", "imaps"}) {
      p.setProperty("mail." + proto + ".connectiontimeout", ms);
      p.setProperty("mail." + proto + ".timeout", ms);
      p.setProperty("mail." + proto + ".writetimeout", ms);
      p.setProperty("mail." + proto + ".peek", "true");
      p.setProperty("mail." + proto + ".ssl.checkserveridentity", "true");
      if (settings.oauth2()) {
        p.setProperty("mail." + proto + ".auth.mechanisms", "XOAUTH2");
      }
      if (channel.tls() != null) {
        p.put("mail." + proto + ".ssl.socketFactory", channel.tls());
      }
      p.setProperty("mail." + proto + ".socketFactory.fallback", "false");
    }
    if (settings.imapSecurity() == EmailSettings.Security.STARTTLS) {
      p.setProperty("mail.imap.starttls.enable", "true");
      p.setProperty("mail.imap.starttls.required", "true");
    }
    return p;
  }
}
