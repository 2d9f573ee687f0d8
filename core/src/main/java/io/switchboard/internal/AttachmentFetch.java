package io.switchboard.internal;

import io.switchboard.channel.ChannelProvider;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.store.JobRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Downloads a message's pending attachments through its channel, off the webhook's thread.
 * Each attachment is saved as soon as it is fetched, so a retry only fetches what is still
 * pending. When all are done, {@code message.updated} is emitted. When the channel returned a
 * file without downloading it (its meta says why under {@code fetch_refused} or {@code
 * fetch_error}), or when the retries are exhausted, the message gets the reason in {@code
 * content_attributes.file_not_downloaded}.
 */
public final class AttachmentFetch implements Jobs.Handler {
  /** The attachment meta key of a channel's reason not to download a file (too large). */
  static final String FETCH_REFUSED = "fetch_refused";
  /** The attachment meta key of a download that failed for good. */
  static final String FETCH_ERROR = "fetch_error";
  /** The message content attribute that repeats why a file of it was not downloaded. */
  static final String FILE_NOT_DOWNLOADED = "file_not_downloaded";
  private final Engine engine;
  private final Map<ChannelType, ChannelProvider> providers;

  public AttachmentFetch(Engine engine, Map<ChannelType, ChannelProvider> providers) {
    this.engine = engine;
    this.providers = Map.copyOf(providers);
  }

  @Override
  public Jobs.Outcome run(JobRecord job) throws Exception {
    MessageJob ref = MessageJob.of(job);
    long accountId = ref.accountId();
    long messageId = ref.messageId();
    // reads only, without a transaction of their own: only this job changes the attachments
    Optional<Loaded> loaded = engine.read(tx -> tx.findMessage(accountId, messageId)
        .map(m -> new Loaded(m, tx.findInbox(accountId, m.inboxId()).orElseThrow())));
    if (loaded.isEmpty()) {
      return Jobs.Outcome.done();
    }
    Message message = loaded.get().message();
    Inbox inbox = loaded.get().inbox();
    ChannelProvider provider = providers.get(inbox.channelType());
    if (provider == null) {
      return Jobs.Outcome.retry("no channel provider registered for '"
          + inbox.channelType().wireName() + "'", null);
    }
    List<Attachment> pending = message.attachments().stream()
        .filter(Attachment::pendingFetch).toList();
    if (pending.isEmpty()) {
      return Jobs.Outcome.done();
    }
    String notFetched = null;
    for (int i = 0; i < pending.size(); i++) {
      Attachment done = fetch(provider, inbox, pending.get(i));
      if (notFetched == null && done.blobKey() == null) {
        notFetched = note(done);
      }
      if (i < pending.size() - 1) {
        // saved at once, so that a retry only fetches what is still pending
        engine.tx(tx -> {
          tx.updateAttachment(done);
          return null;
        });
        continue;
      }
      // the last file, the event and the end of the job in one commit, which concurrent
      // webhooks and fetches share (group commit)
      String note = notFetched;
      engine.writeGrouped(tx -> {
        tx.store().updateAttachment(done);
        tx.store().findMessage(accountId, messageId).ifPresent(found -> {
          Message m = withNote(tx, found, note);
          tx.emit(EventType.MESSAGE_UPDATED, accountId, m.inboxId(), m.conversationId(), m,
              Map.of(), Actor.system());
        });
        tx.store().deleteJob(job.id());
      });
    }
    return Jobs.Outcome.doneAndDeleted();
  }

  private record Loaded(Message message, Inbox inbox) {}

  private static Attachment fetch(ChannelProvider provider, Inbox inbox, Attachment a)
      throws Exception {
    Attachment fetched = provider.fetchAttachment(inbox, a);
    Map<String, Object> meta = new LinkedHashMap<>(fetched.meta());
    meta.remove(Attachment.PENDING_FETCH);
    return new Attachment(a.id(), a.accountId(), a.messageId(), fetched.fileType(),
        fetched.externalUrl(), fetched.blobKey(), fetched.fileName(), fetched.contentType(),
        fetched.fileSize(), fetched.latitude(), fetched.longitude(), meta);
  }

  /**
   * The retries are exhausted: each attachment still pending gets {@code fetch_error} with
   * the last error instead of staying pending for ever, the message gets the note, and
   * {@code message.updated} is emitted.
   */
  @Override
  public void gaveUp(JobRecord job, String lastError) {
    MessageJob ref = MessageJob.of(job);
    String note = "the file could not be downloaded after " + job.attempts() + " attempts: "
        + lastError;
    engine.write(tx -> {
      Optional<Message> found = tx.store().findMessage(ref.accountId(), ref.messageId());
      if (found.isEmpty()
          || found.get().attachments().stream().noneMatch(Attachment::pendingFetch)) {
        return null;
      }
      for (Attachment a : found.get().attachments()) {
        if (a.pendingFetch()) {
          Map<String, Object> meta = new LinkedHashMap<>(a.meta());
          meta.remove(Attachment.PENDING_FETCH);
          meta.put(FETCH_ERROR, note);
          tx.store().updateAttachment(new Attachment(a.id(), a.accountId(), a.messageId(),
              a.fileType(), a.externalUrl(), a.blobKey(), a.fileName(), a.contentType(),
              a.fileSize(), a.latitude(), a.longitude(), meta));
        }
      }
      Message m = withNote(tx, tx.store().findMessage(ref.accountId(), ref.messageId())
          .orElseThrow(), note);
      tx.emit(EventType.MESSAGE_UPDATED, m.accountId(), m.inboxId(), m.conversationId(), m,
          Map.of(), Actor.system());
      return null;
    });
  }

  /** Why the channel did not download this attachment's file, or null. */
  private static String note(Attachment a) {
    Object note = a.meta().get(FETCH_REFUSED) != null ? a.meta().get(FETCH_REFUSED)
        : a.meta().get(FETCH_ERROR);
    return note == null ? null : note.toString();
  }

  /**
   * The message with {@code content_attributes.file_not_downloaded} set to the note, stored,
   * unless there is no note or the message already has one.
   */
  private static Message withNote(WriteTx tx, Message m, String note) {
    if (note == null || m.contentAttributes().containsKey(FILE_NOT_DOWNLOADED)) {
      return m;
    }
    Map<String, Object> attributes = new LinkedHashMap<>(m.contentAttributes());
    attributes.put(FILE_NOT_DOWNLOADED, note);
    Message noted = m.withContent(m.content(), attributes, tx.now());
    tx.store().updateMessage(noted);
    return noted;
  }
}
