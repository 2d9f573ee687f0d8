package io.switchboard.internal;

import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.channel.SendResult;
import io.switchboard.event.Change;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.store.JobRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing pipeline's second half: sends one stored message through its channel's sender
 * and records the outcome. Private notes, activity messages and messages that already carry a
 * provider id are never sent.
 */
public final class SendDelivery implements Jobs.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(SendDelivery.class);
  private final Engine engine;
  private final Map<ChannelType, ChannelProvider> providers;

  public SendDelivery(Engine engine, Map<ChannelType, ChannelProvider> providers) {
    this.engine = engine;
    this.providers = Map.copyOf(providers);
  }

  @Override
  public Jobs.Outcome run(JobRecord job) throws Exception {
    MessageJob target = MessageJob.of(job);
    Optional<OutboundMessage> loaded = engine.tx(tx -> {
      Optional<Message> message = tx.findMessage(target.accountId(), target.messageId());
      if (message.isEmpty() || !MessageWriter.mustSend(message.get())) {
        return Optional.empty();
      }
      Message m = message.get();
      var conversation = tx.findConversation(m.accountId(), m.conversationId()).orElseThrow();
      var inbox = tx.findInbox(m.accountId(), m.inboxId()).orElseThrow();
      var contact = tx.findContact(m.accountId(), conversation.contactId()).orElseThrow();
      var contactInbox = tx.findContactInbox(m.accountId(), conversation.contactInboxId())
          .orElseThrow();
      Message inReplyTo = replyTarget(m.contentAttributes().get("in_reply_to"))
          .flatMap(id -> tx.findMessage(m.accountId(), id))
          .filter(answered -> answered.conversationId() == m.conversationId())
          .orElse(null);
      java.time.Instant lastIncomingAt = tx.findLastIncomingAt(m.accountId(), contactInbox.id())
          .orElse(null);
      return Optional.of(new OutboundMessage(inbox, conversation, contact, contactInbox, m,
          inReplyTo, job.attempts(), lastIncomingAt));
    });
    if (loaded.isEmpty()) {
      return Jobs.Outcome.done();
    }
    OutboundMessage out = loaded.get();
    ChannelProvider provider = providers.get(out.inbox().channelType());
    if (provider == null) {
      return Jobs.Outcome.retry("no channel provider registered for '"
          + out.inbox().channelType().wireName() + "'; registered: "
          + providers.keySet().stream().map(ChannelType::wireName).toList(), null);
    }
    SendResult result = provider.sender(out.inbox()).send(out);
    if (result instanceof SendResult.Sent sent) {
      boolean unblock = out.contactInbox().blockedAt() != null;
      if (sent.sourceId() != null || !sent.partSourceIds().isEmpty() || unblock) {
        // the provider's ids and the end of the job in one commit
        engine.write(tx -> {
          tx.store().findMessage(target.accountId(), target.messageId()).ifPresent(m -> {
            if (m.sourceId() == null) {
              recordSent(tx, m, sent);
            }
          });
          if (unblock) {
            unblock(tx, out);
          }
          tx.store().deleteJob(job.id());
          return null;
        });
        return Jobs.Outcome.doneAndDeleted();
      }
      return Jobs.Outcome.done();
    }
    if (result instanceof SendResult.Retry retry) {
      if (!retry.sentParts().isEmpty() && !retry.sentParts().equals(out.sentParts())) {
        // before the retry is scheduled: the next attempt skips the parts that went out, and
        // statuses for them find the message meanwhile
        engine.write(tx -> {
          tx.store().findMessage(target.accountId(), target.messageId()).ifPresent(m -> {
            recordParts(tx, m, retry.sentParts(), null);
            tx.store().updateMessage(m.withContent(m.content(),
                withParts(m, retry.sentParts()), tx.now()));
          });
          return null;
        });
      }
      return Jobs.Outcome.retry(retry.error(), retry.retryAfter());
    }
    SendResult.Failed failed = (SendResult.Failed) result;
    String error = failed.code() == null ? failed.error() : failed.code() + ": " + failed.error();
    LOG.debug("message {} of account {} failed permanently", target.messageId(), target.accountId());
    markFailed(target, error, failed.reauthorizationRequired(), failed.contactBlocked(),
        failed.sentParts());
    return Jobs.Outcome.done();
  }

  @Override
  public void gaveUp(JobRecord job, String lastError) {
    markFailed(MessageJob.of(job), lastError, false, false, List.of());
  }

  /** The id an {@code in_reply_to} attribute names; nothing for a value that names none. */
  private static Optional<Long> replyTarget(Object value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(value.toString().strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Sets the first part's id as source id and records the ids of the later parts. */
  private static void recordSent(WriteTx tx, Message m, SendResult.Sent sent) {
    List<String> parts = sent.partSourceIds();
    Message updated = m.withSourceId(sent.sourceId(), tx.now());
    if (parts.size() > 1) {
      updated = updated.withContent(m.content(), withParts(m, parts), tx.now());
      recordParts(tx, m, parts, sent.sourceId());
    }
    tx.store().updateMessage(updated);
  }

  /** Records the provider ids of parts that went out, except {@code sourceId}. */
  private static void recordParts(WriteTx tx, Message m, List<String> parts, String sourceId) {
    tx.store().insertMessagePartSourceIds(m.accountId(), m.inboxId(), m.id(),
        parts.stream().filter(id -> id != null && !id.isEmpty() && !id.equals(sourceId))
            .distinct().toList());
  }

  private static Map<String, Object> withParts(Message m, List<String> parts) {
    Map<String, Object> attributes = new LinkedHashMap<>(m.contentAttributes());
    attributes.put(OutboundMessage.PART_SOURCE_IDS, List.copyOf(parts));
    return attributes;
  }

  private void markFailed(MessageJob target, String error, boolean reauthorize,
      boolean contactBlocked, List<String> sentParts) {
    engine.write(tx -> {
      tx.store().findMessage(target.accountId(), target.messageId()).ifPresent(found -> {
        Message m = found;
        if (!sentParts.isEmpty()) {
          m = m.withContent(m.content(), withParts(m, sentParts), tx.now());
          recordParts(tx, m, sentParts, null);
        }
        Object parts = m.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS);
        String note = parts instanceof List<?> list && !list.isEmpty()
            ? " (" + list.size() + (list.size() == 1 ? " part was" : " parts were")
                + " sent before the failure; see " + OutboundMessage.PART_SOURCE_IDS + ")"
            : "";
        IncomingPipeline.applyStatus(tx, m, MessageStatus.FAILED, error + note,
            Actor.system());
        if (reauthorize) {
          Inbox inbox = tx.store().findInbox(m.accountId(), m.inboxId()).orElseThrow();
          if (!inbox.reauthorizationRequired()) {
            Inbox marked = new Inbox(inbox.id(), inbox.accountId(), inbox.name(),
                inbox.channelType(), inbox.routingKey(), inbox.settings(),
                inbox.lockToSingleConversation(), inbox.allowMessagesAfterResolved(),
                inbox.botEnabled(), inbox.greetingMessage(), true, inbox.createdAt(), tx.now());
            tx.store().updateInbox(marked);
            tx.emit(EventType.INBOX_UPDATED, inbox.accountId(), inbox.id(), null, marked,
                Map.of("reauthorization_required", new Change(false, true)), Actor.system());
          }
        }
        if (contactBlocked) {
          Conversation conversation = tx.store().findConversation(m.accountId(),
              m.conversationId()).orElseThrow();
          tx.store().findContactInbox(m.accountId(), conversation.contactInboxId())
              .filter(ci -> ci.blockedAt() == null)
              .ifPresent(ci -> markBlocked(tx, ci, tx.now()));
        }
      });
      return null;
    });
  }

  private static void unblock(WriteTx tx, OutboundMessage out) {
    tx.store().findContactInbox(out.contactInbox().accountId(), out.contactInbox().id())
        .filter(ci -> ci.blockedAt() != null)
        .ifPresent(ci -> markBlocked(tx, ci, null));
  }

  /**
   * Sets or clears the contact inbox's {@code blocked_at} and emits {@code contact.updated}
   * for its contact.
   */
  static void markBlocked(WriteTx tx, ContactInbox ci, Instant blockedAt) {
    tx.store().updateContactInbox(ci.withBlockedAt(blockedAt));
    tx.store().findContact(ci.accountId(), ci.contactId()).ifPresent(contact ->
        tx.emit(EventType.CONTACT_UPDATED, ci.accountId(), ci.inboxId(), null, contact,
            Map.of("blocked_at", new Change(str(ci.blockedAt()), str(blockedAt))),
            Actor.system()));
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
