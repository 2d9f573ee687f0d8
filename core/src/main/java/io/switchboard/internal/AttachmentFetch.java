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
import java.util.Map;
import java.util.Optional;

/**
 * Downloads a message's pending attachments through its channel, off the webhook's thread.
 * Each attachment is saved as soon as it is fetched, so a retry only fetches what is still
 * pending. When all are done, {@code message.updated} is emitted.
 */
public final class AttachmentFetch implements Jobs.Handler {
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
    Optional<Message> message = engine.tx(tx -> tx.findMessage(accountId, messageId));
    if (message.isEmpty()) {
      return Jobs.Outcome.done();
    }
    Inbox inbox = engine.tx(tx -> tx.findInbox(accountId, message.get().inboxId())).orElseThrow();
    ChannelProvider provider = providers.get(inbox.channelType());
    if (provider == null) {
      return Jobs.Outcome.retry("no channel provider registered for '"
          + inbox.channelType().wireName() + "'", null);
    }
    boolean changed = false;
    for (Attachment a : message.get().attachments()) {
      if (!a.pendingFetch()) {
        continue;
      }
      Attachment fetched = provider.fetchAttachment(inbox, a);
      Map<String, Object> meta = new LinkedHashMap<>(fetched.meta());
      meta.remove(Attachment.PENDING_FETCH);
      Attachment done = new Attachment(a.id(), a.accountId(), a.messageId(), fetched.fileType(),
          fetched.externalUrl(), fetched.blobKey(), fetched.fileName(), fetched.contentType(),
          fetched.fileSize(), fetched.latitude(), fetched.longitude(), meta);
      engine.tx(tx -> {
        tx.updateAttachment(done);
        return null;
      });
      changed = true;
    }
    if (changed) {
      engine.write(tx -> {
        Message m = tx.store().findMessage(accountId, messageId).orElseThrow();
        tx.emit(EventType.MESSAGE_UPDATED, accountId, m.inboxId(), m.conversationId(), m,
            Map.of(), Actor.system());
        return null;
      });
    }
    return Jobs.Outcome.done();
  }
}
