package io.switchboard.internal;

import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.Inbox;
import io.switchboard.store.EventRecord;
import io.switchboard.store.JobRecord;
import io.switchboard.store.StoreTx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One attempt of a write transaction: the store, the transaction's time, and the events it
 * emits. Events go to the log and, for each async listener that wants them, into the outbox
 * in the same transaction.
 */
public final class WriteTx {
  private final StoreTx store;
  private final Instant now;
  private final List<AsyncListener> asyncListeners;
  private final List<Event> events = new ArrayList<>();
  private final Map<String, Boolean> webhookTargets = new java.util.HashMap<>();
  private final Map<Long, Inbox> inboxes = new java.util.HashMap<>();
  private boolean jobsQueued;

  WriteTx(StoreTx store, Instant now, List<AsyncListener> asyncListeners) {
    this.store = store;
    this.now = now;
    this.asyncListeners = asyncListeners;
  }

  public StoreTx store() {
    return store;
  }

  /** The time of this transaction: every timestamp it writes uses it. */
  public Instant now() {
    return now;
  }

  /**
   * Writes an event to the log and the outbox. An inbox is put in the event without its
   * settings: they hold the channel's secrets, and events reach listeners, the event log,
   * webhooks and agents' browsers.
   */
  public Event emit(EventType type, long accountId, Long inboxId, Long conversationId,
      Object data, Map<String, Change> changes, Actor performer) {
    if (data instanceof Inbox inbox && !inbox.settings().isEmpty()) {
      data = new Inbox(inbox.id(), inbox.accountId(), inbox.name(), inbox.channelType(),
          inbox.routingKey(), Map.of(), inbox.lockToSingleConversation(),
          inbox.allowMessagesAfterResolved(), inbox.botEnabled(), inbox.greetingMessage(),
          inbox.reauthorizationRequired(), inbox.createdAt(), inbox.updatedAt());
    }
    Event draft = new Event(Tokens.uuid(), 0, type, accountId, inboxId, conversationId, data,
        changes, performer, now);
    String payload = Json.writeEvent(draft);
    long sequence = store.appendEvent(new EventRecord(0, draft.id(), accountId,
        type.wireName(), inboxId, conversationId, payload, now));
    Event event = new Event(draft.id(), sequence, type, accountId, inboxId, conversationId, data,
        draft.changedAttributes(), performer, now);
    for (AsyncListener async : asyncListeners) {
      if (async.listener().accepts(type) && (!(async.listener() instanceof WebhookFanout)
          || hasWebhookTargets(accountId, inboxId))) {
        store.insertJob(new JobRecord(0, Jobs.EVENT, async.name(), accountId,
            Long.toString(sequence), 0, now, null, false, now));
        jobsQueued = true;
      }
    }
    events.add(event);
    return event;
  }

  /**
   * Whether the account has a webhook or the inbox an agent bot: the built-in webhook listener
   * is only queued an event when someone may receive it (one outbox row, a claim and a
   * transaction saved per event otherwise). Asked once per account and inbox per transaction.
   */
  private boolean hasWebhookTargets(long accountId, Long inboxId) {
    return webhookTargets.computeIfAbsent(accountId + ":" + inboxId, k ->
        store.hasWebhookTargets(accountId, inboxId));
  }

  /**
   * The inbox, read once per transaction: the events of a shared transaction (group commit)
   * often come to the same inbox. Nothing that runs in such a transaction changes an inbox.
   */
  public java.util.Optional<Inbox> inbox(long accountId, long inboxId) {
    Inbox known = inboxes.get(inboxId);
    if (known != null && known.accountId() == accountId) {
      return java.util.Optional.of(known);
    }
    java.util.Optional<Inbox> found = store.findInbox(accountId, inboxId);
    found.ifPresent(i -> inboxes.put(inboxId, i));
    return found;
  }

  /**
   * Makes an inbox the caller read just before this transaction the one {@link #inbox} returns
   * (a webhook's routing lookup), instead of reading it again.
   */
  public void knownInbox(Inbox inbox) {
    inboxes.putIfAbsent(inbox.id(), inbox);
  }

  /** Queues background work in this transaction. */
  public long enqueue(String kind, String target, Long accountId, String payload, Instant runAt) {
    jobsQueued = true;
    return store.insertJob(new JobRecord(0, kind, target, accountId, payload, 0, runAt, null,
        false, now));
  }

  List<Event> events() {
    return events;
  }

  boolean jobsQueued() {
    return jobsQueued;
  }
}
