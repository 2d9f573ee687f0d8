package io.switchboard.internal;

import io.switchboard.channel.RoutedEvent;
import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.store.EventRecord;
import io.switchboard.store.JobRecord;
import io.switchboard.store.RawRequestRecord;
import io.switchboard.store.RoutedInbox;
import io.switchboard.store.StoreTx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a write transaction: the store, the transaction's time, and the events it
 * emits. Events go to the log and, for each async listener that wants them, into the outbox
 * in the same transaction.
 */
public final class WriteTx {
  private final StoreTx store;
  private Instant now;
  private final List<AsyncListener> asyncListeners;
  private final List<Event> events = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();
  private final List<RawRequestRecord> rawRequests = new ArrayList<>();
  private final List<Long> finishedRawRequests = new ArrayList<>();
  private final List<Long> finishedJobs = new ArrayList<>();
  private final Map<String, Boolean> webhookTargets = new java.util.HashMap<>();
  private final Map<Long, Inbox> inboxes = new java.util.HashMap<>();
  private boolean jobsQueued;
  /** Reads made ahead for a batch of stored deliveries, or null. */
  private BatchReads reads;

  WriteTx(StoreTx store, Instant now, List<AsyncListener> asyncListeners) {
    this.store = store;
    this.now = now;
    this.asyncListeners = asyncListeners;
  }

  public StoreTx store() {
    return store;
  }

  /**
   * The time of this transaction: every timestamp it writes uses it. In a shared transaction
   * (group commit) each piece of work moves it on to when that piece starts (see
   * {@link #advanceTo}).
   */
  public Instant now() {
    return now;
  }

  /**
   * Starts the next piece of work of a shared transaction: its time becomes {@code later}
   * (never earlier than before), so that work which joined the transaction late is not dated
   * before what other transactions committed meanwhile. For work that was queued only after
   * the transaction began ({@code joinedLate}), an earlier "no one to queue events for" is
   * asked again, since a webhook may have been created since; work queued before it began is
   * no newer than the answers the transaction got.
   */
  void advanceTo(Instant later, boolean joinedLate) {
    if (later.isAfter(now)) {
      now = later;
    }
    if (joinedLate) {
      webhookTargets.values().removeIf(targets -> !targets);
    }
  }

  /**
   * Emits an event: it goes to the log, and to the outbox of every async listener that wants
   * it, when this transaction {@linkplain #flush flushes}, before it commits. An inbox is put in
   * the event without its settings: they hold the channel's secrets, and events reach
   * listeners, the event log, webhooks and agents' browsers.
   */
  public void emit(EventType type, long accountId, Long inboxId, Long conversationId,
      Object data, Map<String, Change> changes, Actor performer) {
    if (data instanceof Inbox inbox && !inbox.settings().isEmpty()) {
      data = new Inbox(inbox.id(), inbox.accountId(), inbox.name(), inbox.channelType(),
          inbox.routingKey(), Map.of(), inbox.lockToSingleConversation(),
          inbox.allowMessagesAfterResolved(), inbox.botEnabled(), inbox.greetingMessage(),
          inbox.reauthorizationRequired(), inbox.createdAt(), inbox.updatedAt());
    }
    Event draft = new Event(Tokens.uuid(), 0, type, accountId, inboxId, conversationId, data,
        changes, performer, now);
    List<String> outboxes = new ArrayList<>(asyncListeners.size());
    for (AsyncListener async : asyncListeners) {
      if (async.listener().accepts(type) && (!(async.listener() instanceof WebhookFanout)
          || hasWebhookTargets(accountId, inboxId))) {
        outboxes.add(async.name());
        jobsQueued = true;
      }
    }
    pending.add(new Pending(draft, Json.writeEvent(draft), outboxes));
  }

  /**
   * Writes the events emitted since the last flush to the log, in one statement batch, and
   * their outbox jobs. The engine calls it before the transaction commits: the events of a
   * transaction, and of all the work that shares one (group commit), cost one batch instead of
   * a statement each.
   */
  void flush() {
    if (!rawRequests.isEmpty()) {
      store.insertProcessedRawRequests(List.copyOf(rawRequests));
      rawRequests.clear();
    }
    if (!finishedJobs.isEmpty()) {
      store.finishInbound(List.copyOf(finishedRawRequests), List.copyOf(finishedJobs));
      finishedRawRequests.clear();
      finishedJobs.clear();
    }
    if (pending.isEmpty()) {
      return;
    }
    List<EventRecord> records = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      Event d = p.draft();
      records.add(new EventRecord(0, d.id(), d.accountId(), d.type().wireName(), d.inboxId(),
          d.conversationId(), p.payload(), d.occurredAt()));
    }
    long[] sequences = store.appendEvents(records);
    for (int i = 0; i < pending.size(); i++) {
      Event d = pending.get(i).draft();
      events.add(new Event(d.id(), sequences[i], d.type(), d.accountId(), d.inboxId(),
          d.conversationId(), d.data(), d.changedAttributes(), d.performer(), d.occurredAt()));
      for (String outbox : pending.get(i).outboxes()) {
        store.insertJob(new JobRecord(0, Jobs.EVENT, outbox, d.accountId(),
            Long.toString(sequences[i]), 0, d.occurredAt(), null, false, d.occurredAt()));
      }
    }
    pending.clear();
  }

  /**
   * Stores a raw input whose events this transaction processes, marked processed, when the
   * transaction {@linkplain #flush flushes}: nothing in the transaction reads it back, so the
   * raw inputs of all the work that shares a transaction (group commit) cost one batch.
   */
  public void keepProcessedRawRequest(RawRequestRecord request) {
    rawRequests.add(request);
  }

  /**
   * Marks a stored raw input processed and deletes the job that stood for its processing, when
   * the transaction {@linkplain #flush flushes}: the inputs processed in bulk behind their
   * acknowledgement cost two statement batches per shared transaction.
   */
  public void finishInbound(long rawRequestId, long jobId) {
    finishedRawRequests.add(rawRequestId);
    finishedJobs.add(jobId);
  }

  /** How many events were emitted so far, flushed or not: their index in {@link #events}. */
  int emitted() {
    return events.size() + pending.size();
  }

  /** An event emitted and not yet written, with the async listeners it is queued for. */
  private record Pending(Event draft, String payload, List<String> outboxes) {}

  /**
   * Whether the account has a webhook or the inbox an agent bot: the built-in webhook listener
   * is only queued an event when someone may receive it (one outbox row, a claim and a
   * transaction saved per event otherwise). Asked once per account and inbox per transaction.
   */
  private boolean hasWebhookTargets(long accountId, Long inboxId) {
    return webhookTargets.computeIfAbsent(targetsKey(accountId, inboxId), k ->
        store.hasWebhookTargets(accountId, inboxId));
  }

  /**
   * The inbox, read at most once per transaction (or taken from the webhook's routing lookup
   * just before it, see {@link #knownRoute}): the events of a shared transaction (group commit)
   * often come to the same inbox. Nothing that runs in such a transaction changes an inbox; a
   * change an administrator commits meanwhile applies from the next transaction on.
   */
  public Optional<Inbox> inbox(long accountId, long inboxId) {
    Inbox known = inboxes.get(inboxId);
    if (known != null && known.accountId() == accountId) {
      return Optional.of(known);
    }
    Optional<Inbox> found = store.findInbox(accountId, inboxId);
    found.ifPresent(i -> inboxes.put(inboxId, i));
    return found;
  }

  /**
   * Starts from what a webhook's routing lookup read just before this transaction: the inbox
   * {@link #inbox} returns, and whether its events have anyone to be queued for, instead of
   * reading both again. A webhook or bot committed before the request's lookup gets its events;
   * one created later may miss them, as one created while a transaction commits may. When the
   * deliveries sharing a transaction looked at different moments, a "yes" from any of them wins:
   * an event queued for nobody costs a job that finds no webhook, a missed one would be lost.
   */
  public void knownRoute(RoutedInbox route) {
    Inbox inbox = route.inbox();
    inboxes.putIfAbsent(inbox.id(), inbox);
    webhookTargets.merge(targetsKey(inbox.accountId(), null), route.accountHasWebhooks(),
        Boolean::logicalOr);
    webhookTargets.merge(targetsKey(inbox.accountId(), inbox.id()),
        route.accountHasWebhooks() || route.inboxHasAgentBot(), Boolean::logicalOr);
  }

  /**
   * Starts from an inbox a webhook's routing found in the route cache: {@link #inbox} returns
   * it instead of reading it again. Unlike {@link #knownRoute}, it says nothing of webhooks or
   * bots: this transaction asks for them itself.
   */
  public void knownInbox(Inbox inbox) {
    inboxes.putIfAbsent(inbox.id(), inbox);
  }

  private static String targetsKey(long accountId, Long inboxId) {
    return accountId + ":" + inboxId;
  }

  /**
   * Reads ahead what the messages among {@code events} will look up, when the store answers
   * batch reads (see {@link BatchReads}); the lookups below then use each answer once.
   */
  void readAhead(List<RoutedEvent> events) {
    reads = BatchReads.read(this, events);
  }

  /** The sender's contact inbox, locked: read ahead, or from the store. */
  public Optional<ContactInbox> lockContactInboxBySourceId(long accountId, long inboxId,
      String sourceId) {
    Optional<ContactInbox> ahead = reads == null ? null : reads.takeContactInbox(inboxId, sourceId);
    return usable(ahead, accountId, ContactInbox::accountId) ? ahead
        : store.lockContactInboxBySourceId(accountId, inboxId, sourceId);
  }

  /** The inbox's message with this provider id: none when read ahead as absent, else the store's. */
  public Optional<Message> findMessageBySourceId(long accountId, long inboxId,
      String sourceId) {
    if (reads != null && reads.takeAbsentMessage(inboxId, sourceId)) {
      return Optional.empty();
    }
    return store.findMessageBySourceId(accountId, inboxId, sourceId);
  }

  /** The contact: read ahead, or from the store. */
  public Optional<Contact> findContact(long accountId, long contactId) {
    Contact ahead = reads == null ? null : reads.takeContact(contactId);
    if (ahead != null && ahead.accountId() == accountId) {
      return Optional.of(ahead);
    }
    return store.findContact(accountId, contactId);
  }

  /** The contact inbox's latest conversation, locked: read ahead, or from the store. */
  public Optional<Conversation> lockLatestConversation(long accountId, long contactInboxId,
      boolean includeResolved) {
    Optional<Conversation> ahead =
        reads == null ? null : reads.takeLatestConversation(contactInboxId, includeResolved);
    return usable(ahead, accountId, Conversation::accountId) ? ahead
        : store.lockLatestConversation(accountId, contactInboxId, includeResolved);
  }

  /** Whether an answer read ahead (null: none) stands for the account's row, or its absence. */
  private static <T> boolean usable(Optional<T> ahead, long accountId,
      java.util.function.ToLongFunction<T> account) {
    return ahead != null && ahead.map(row -> account.applyAsLong(row) == accountId).orElse(true);
  }

  /** Queues background work in this transaction. */
  public long enqueue(String kind, String target, Long accountId, String payload, Instant runAt) {
    jobsQueued = true;
    return store.insertJob(new JobRecord(0, kind, target, accountId, payload, 0, runAt, null,
        false, now));
  }

  /** The events written, in the order emitted; call {@link #flush} first. */
  List<Event> events() {
    if (!pending.isEmpty()) {
      throw new IllegalStateException("events emitted but not flushed");
    }
    return events;
  }

  boolean jobsQueued() {
    return jobsQueued;
  }
}
