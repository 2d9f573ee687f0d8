package io.switchboard.realtime;

import io.switchboard.NotFoundException;
import io.switchboard.Switchboard;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.event.Listener;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes committed events to real-time subscribers. Create one per {@link Switchboard}; it
 * registers itself as a sync listener.
 *
 * <ul>
 *   <li>An <b>agent</b> receives the events of the inboxes it is a member of, and contact
 *       events; an administrator receives the whole account, account configuration included
 *       (such as {@code webhook.disabled}). Each heartbeat reads the agent's role and inboxes
 *       again; an agent no longer in the account has its subscription ended.
 *   <li>A <b>contact</b> (identified by its contact inbox's pubsub token) receives only events
 *       of its own conversations that are visible to contacts ({@link Event#visibleToContact}):
 *       never private notes, activity messages, assignments or other agent-only events.
 *   <li>A subscriber that passes the sequence of the last event it saw first receives what it
 *       missed, replayed from the event log, then live events, without duplicates. Typing
 *       events are not replayed: they are stale by then. A subscriber that missed more than
 *       {@link Builder#maxReplay} events gets none replayed and is told to resync ({@link
 *       Subscription#mustResync()}).
 *   <li>Presence: a subscriber is online while it sends heartbeats within the TTL (20 s by
 *       default).
 * </ul>
 *
 * <p>Sinks are called on the thread that committed the change: they must not block (hand the
 * event to an asynchronous send, as WebSocket containers offer) and must not throw; a sink that
 * throws is logged and skipped.
 */
public final class RealtimeHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeHub.class);
  private static final int REPLAY_PAGE = 200;
  /** How many missed events a reconnecting client gets replayed, unless configured otherwise. */
  public static final int DEFAULT_MAX_REPLAY = 1000;
  /** How many conversations' contact inboxes are kept for routing, unless configured otherwise. */
  public static final int DEFAULT_CONVERSATION_CACHE = 10_000;

  private final Switchboard switchboard;
  private final Clock clock;
  private final Duration presenceTtl;
  private final int maxReplay;
  private final Set<Sub> subscriptions = new CopyOnWriteArraySet<>();
  /** Conversation id to its contact inbox id (-1: no such conversation), least recent dropped. */
  private final LruCache<Long, Long> contactInboxOfConversation;
  /** The highest sequence routed: where a client told to resync resumes after. */
  private final AtomicLong latestRouted = new AtomicLong();
  private final Map<String, Instant> presence = new ConcurrentHashMap<>();
  private final AutoCloseable registration;

  private RealtimeHub(Builder b) {
    this.switchboard = b.switchboard;
    this.clock = switchboard.channelContext().clock();
    this.presenceTtl = b.presenceTtl;
    this.maxReplay = b.maxReplay;
    this.contactInboxOfConversation = new LruCache<>(b.conversationCache);
    this.registration = switchboard.dispatcher().register(new Listener() {
      @Override
      public void onEvent(Event event) {
        route(event);
      }
    });
  }

  /** A hub on {@code switchboard} with the defaults of {@link #builder}. */
  public static RealtimeHub create(Switchboard switchboard) {
    return builder(switchboard).build();
  }

  /** A hub on {@code switchboard} with a presence TTL of {@code presenceTtl}. */
  public static RealtimeHub create(Switchboard switchboard, Duration presenceTtl) {
    return builder(switchboard).presenceTtl(presenceTtl).build();
  }

  /**
   * A builder for a hub on {@code switchboard}: presence TTL 20 seconds, at most {@value
   * #DEFAULT_MAX_REPLAY} events replayed, {@value #DEFAULT_CONVERSATION_CACHE} conversations
   * cached for routing.
   */
  public static Builder builder(Switchboard switchboard) {
    return new Builder(Objects.requireNonNull(switchboard, "switchboard"));
  }

  /** Configures a {@link RealtimeHub}. */
  public static final class Builder {
    private final Switchboard switchboard;
    private Duration presenceTtl = Duration.ofSeconds(20);
    private int maxReplay = DEFAULT_MAX_REPLAY;
    private int conversationCache = DEFAULT_CONVERSATION_CACHE;

    private Builder(Switchboard switchboard) {
      this.switchboard = switchboard;
    }

    /** How long a subscriber stays online after a heartbeat. */
    public Builder presenceTtl(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("presenceTtl must be positive, not " + value);
      }
      presenceTtl = value;
      return this;
    }

    /**
     * The most events of the account's log a reconnecting client gets replayed. A client that
     * missed more is told to resync ({@link Subscription#mustResync()}) instead: what it
     * chooses as its last sequence never makes the hub read more than this from the log.
     */
    public Builder maxReplay(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxReplay must be at least 1, not " + value);
      }
      maxReplay = value;
      return this;
    }

    /**
     * How many conversations' contact inboxes the hub keeps to route messages to contacts
     * without a query each; the least recently used are dropped.
     */
    public Builder conversationCache(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("conversationCache must be at least 1, not " + value);
      }
      conversationCache = value;
      return this;
    }

    /** The hub, registered on the switchboard's dispatcher. */
    public RealtimeHub build() {
      return new RealtimeHub(this);
    }
  }

  /**
   * Subscribes an agent of the account. Each {@link Subscription#heartbeat()} reads its role
   * and inboxes again; an agent no longer in the account has its subscription ended silently
   * (use the variant with {@code onEnded} to close its connection).
   *
   * @param lastSequence the last event sequence the client saw, or 0 for live events only
   * @throws NotFoundException when the user is not an agent of the account
   */
  public Subscription subscribeAgent(long accountId, long userId, long lastSequence,
      Consumer<Event> sink) {
    return subscribeAgent(accountId, userId, lastSequence, sink, reason -> {});
  }

  /**
   * Subscribes an agent of the account, and calls {@code onEnded} with a reason when the hub
   * ends the subscription: at a {@link Subscription#heartbeat() heartbeat} that finds the user
   * no longer an agent of the account. The host then closes the client's connection. {@code
   * onEnded} runs once, on the thread calling {@code heartbeat}, and must not throw.
   *
   * @param lastSequence the last event sequence the client saw, or 0 for live events only
   * @throws NotFoundException when the user is not an agent of the account
   */
  public Subscription subscribeAgent(long accountId, long userId, long lastSequence,
      Consumer<Event> sink, Consumer<String> onEnded) {
    Objects.requireNonNull(onEnded, "onEnded");
    return start(new AgentSub(accountId, userId, sink, onEnded, accessOf(accountId, userId)),
        lastSequence);
  }

  /**
   * What an agent sees: the whole account, or the events of its inboxes and contact events.
   * Role and inboxes are read together and replaced together.
   */
  private record Access(boolean administrator, Set<Long> inboxes) {
    boolean sees(Event e) {
      if (administrator) {
        return true;
      }
      // without an inbox: contacts, shared by the account's agents, or account configuration
      // (webhook.disabled carries the webhook's URL), for administrators only
      return e.inboxId() == null ? e.type().entityType() == Contact.class
          : inboxes.contains(e.inboxId());
    }
  }

  /** @throws NotFoundException when the user is not an agent of the account */
  private Access accessOf(long accountId, long userId) {
    if (switchboard.admin().membership(accountId, userId).role() == Role.ADMINISTRATOR) {
      return new Access(true, Set.of());
    }
    return new Access(false, Set.copyOf(switchboard.admin().inboxIdsOf(accountId, userId)));
  }

  /**
   * Subscribes a contact by its pubsub token.
   *
   * @throws NotFoundException when no contact inbox has this token
   */
  public Subscription subscribeContact(String pubsubToken, long lastSequence,
      Consumer<Event> sink) {
    ContactInbox ci = switchboard.contacts().findByPubsubToken(pubsubToken)
        .orElseThrow(() -> new NotFoundException("contact inbox", 0, "(pubsub token)"));
    Sub sub = new Sub(ci.accountId(), "contact:" + ci.contactId(), sink) {
      @Override
      boolean sees(Routed r) {
        return r.event.visibleToContact() && r.event.conversationId() != null
            && r.contactInbox() == ci.id();
      }
    };
    return start(sub, lastSequence);
  }

  /** The agents of the account with a live, recently heartbeating subscription. */
  public Set<Long> onlineAgents(long accountId) {
    return online(accountId, "agent:");
  }

  /** The contacts of the account with a live, recently heartbeating subscription. */
  public Set<Long> onlineContacts(long accountId) {
    return online(accountId, "contact:");
  }

  private Set<Long> online(long accountId, String kind) {
    Instant cutoff = clock.instant().minus(presenceTtl);
    Set<Long> ids = new HashSet<>();
    String prefix = accountId + "/" + kind;
    presence.forEach((key, seen) -> {
      if (key.startsWith(prefix) && seen.isAfter(cutoff)) {
        ids.add(Long.parseLong(key.substring(prefix.length())));
      }
    });
    return ids;
  }

  private long contactInboxOf(Event e) {
    if (e.data() instanceof Conversation c) {
      contactInboxOfConversation.put(c.id(), c.contactInboxId());
      return c.contactInboxId();
    }
    Long known = contactInboxOfConversation.get(e.conversationId());
    if (known != null) {
      return known;
    }
    long found = switchboard.conversations().find(e.accountId(), e.conversationId())
        .map(Conversation::contactInboxId).orElse(-1L);
    contactInboxOfConversation.put(e.conversationId(), found);
    return found;
  }

  /**
   * Registers {@code sub} before reading what it missed, so that nothing committed meanwhile
   * is lost; a subscription that fails to start (the log cannot be read) is removed again.
   */
  private Subscription start(Sub sub, long lastSequence) {
    subscriptions.add(sub);
    boolean started = false;
    try {
      sub.markPresent();
      if (lastSequence > 0) {
        Missed missed = missedSince(sub.accountId, lastSequence);
        if (missed.complete()) {
          for (Event e : missed.events()) {
            if (!isTyping(e)) {
              sub.offerReplayed(new Routed(e));
            }
          }
        } else {
          LOG.debug("a client of account {} missed more than {} events: told to resync",
              sub.accountId, maxReplay);
          sub.resync(Math.max(latestRouted.get(), missed.lastRead()));
        }
      }
      sub.goLive();
      started = true;
      return sub;
    } finally {
      if (!started) {
        sub.close();
      }
    }
  }

  /**
   * The account's events after {@code lastSequence}: all of them when there are at most
   * {@code maxReplay}; otherwise none, and reading stops after {@code maxReplay + 1}.
   */
  private Missed missedSince(long accountId, long lastSequence) {
    List<Event> missed = new ArrayList<>();
    long after = lastSequence;
    while (true) {
      int want = Math.min(REPLAY_PAGE, maxReplay + 1 - missed.size());
      List<Event> page = switchboard.events(accountId, after, want);
      missed.addAll(page);
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).sequence();
      }
      if (missed.size() > maxReplay) {
        return new Missed(List.of(), false, after);
      }
      if (page.size() < want) {
        return new Missed(missed, true, after);
      }
    }
  }

  /** What a reconnecting client missed, or that it missed too much ({@code !complete}). */
  private record Missed(List<Event> events, boolean complete, long lastRead) {}

  /** Typing is a moment's state: replayed after a reconnect it would show a stale "typing…". */
  private static boolean isTyping(Event e) {
    return e.type() == EventType.CONVERSATION_TYPING_ON
        || e.type() == EventType.CONVERSATION_TYPING_OFF;
  }

  private void route(Event event) {
    latestRouted.accumulateAndGet(event.sequence(), Math::max);
    Routed routed = new Routed(event);
    for (Sub sub : subscriptions) {
      if (sub.accountId == event.accountId()) {
        sub.offerLive(routed);
      }
    }
  }

  /**
   * An event on its way to the subscribers, with its conversation's contact inbox looked up at
   * most once, however many contacts are connected.
   */
  private final class Routed {
    private static final long NOT_LOOKED_UP = Long.MIN_VALUE;
    final Event event;
    private volatile long contactInbox = NOT_LOOKED_UP;

    Routed(Event event) {
      this.event = event;
    }

    long contactInbox() {
      long id = contactInbox;
      if (id == NOT_LOOKED_UP) {
        id = contactInboxOf(event);
        contactInbox = id;
      }
      return id;
    }
  }

  /** Unregisters from the dispatcher and drops every subscription. */
  @Override
  public void close() {
    try {
      registration.close();
    } catch (Exception e) {
      LOG.debug("unregistering the hub failed: {}", e.toString());
    }
    subscriptions.clear();
  }

  /** The most events a reconnecting client gets replayed. */
  int maxReplay() {
    return maxReplay;
  }

  private abstract class Sub implements Subscription {
    final long accountId;
    final String presenceKey;
    private final Consumer<Event> sink;
    /** Sequences replayed, so that their trailing live dispatch is not delivered again. */
    private final Set<Long> replayed = new HashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private List<Routed> buffer = new ArrayList<>();
    private volatile long lastSequence;
    private volatile boolean mustResync;

    Sub(long accountId, String who, Consumer<Event> sink) {
      this.accountId = accountId;
      this.presenceKey = accountId + "/" + who;
      this.sink = sink;
    }

    abstract boolean sees(Routed r);

    /** Reads again what the subscriber may see; may end the subscription. */
    void refresh() {}

    synchronized void offerReplayed(Routed r) {
      replayed.add(r.event.sequence());
      deliver(r);
    }

    synchronized void offerLive(Routed r) {
      if (buffer != null) {
        buffer.add(r);
      } else if (!closed.get() && !replayed.remove(r.event.sequence())) {
        deliver(r);
      }
    }

    synchronized void resync(long resumeAfter) {
      mustResync = true;
      lastSequence = Math.max(lastSequence, resumeAfter);
    }

    synchronized void goLive() {
      for (Routed r : buffer) {
        if (!replayed.remove(r.event.sequence())) {
          deliver(r);
        }
      }
      buffer = null;
      // replayed stays (at most maxReplay entries): a live dispatch may still trail its commit
    }

    private void deliver(Routed r) {
      Event e = r.event;
      try {
        if (sees(r)) {
          sink.accept(e);
          lastSequence = Math.max(lastSequence, e.sequence());
        }
      } catch (RuntimeException ex) {
        LOG.warn("real-time sink failed on {}: {}", e, ex.toString());
      }
    }

    void markPresent() {
      presence.put(presenceKey, clock.instant());
    }

    @Override
    public boolean mustResync() {
      return mustResync;
    }

    @Override
    public long accountId() {
      return accountId;
    }

    @Override
    public long lastSequence() {
      return lastSequence;
    }

    @Override
    public void heartbeat() {
      if (closed.get()) {
        return;
      }
      try {
        refresh();
      } finally {
        if (!closed.get()) {
          markPresent();
        }
      }
    }

    @Override
    public void close() {
      closeIfOpen();
    }

    /** Closes the subscription; false when it was closed already. */
    final boolean closeIfOpen() {
      if (!closed.compareAndSet(false, true)) {
        return false;
      }
      subscriptions.remove(this);
      if (subscriptions.stream().noneMatch(s -> s.presenceKey.equals(presenceKey))) {
        presence.remove(presenceKey);
      }
      return true;
    }
  }

  /** An agent's subscription, whose role and inboxes each heartbeat reads again. */
  private final class AgentSub extends Sub {
    private final long userId;
    private final Consumer<String> onEnded;
    private volatile Access access;

    AgentSub(long accountId, long userId, Consumer<Event> sink, Consumer<String> onEnded,
        Access access) {
      super(accountId, "agent:" + userId, sink);
      this.userId = userId;
      this.onEnded = onEnded;
      this.access = access;
    }

    @Override
    boolean sees(Routed r) {
      return access.sees(r.event);
    }

    @Override
    void refresh() {
      try {
        access = accessOf(accountId, userId);
      } catch (NotFoundException e) {
        end("no longer an agent of the account");
      }
    }

    private void end(String reason) {
      if (!closeIfOpen()) {
        return;
      }
      LOG.debug("real-time subscription of agent {} in account {} ended: {}", userId, accountId,
          reason);
      try {
        onEnded.accept(reason);
      } catch (RuntimeException ex) {
        LOG.warn("ending a real-time subscription failed: {}", ex.toString());
      }
    }
  }
}
