package io.switchboard.realtime;

import io.switchboard.NotFoundException;
import io.switchboard.Switchboard;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.event.Listener;
import io.switchboard.model.AccountUser;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes committed events to real-time subscribers. Create one per {@link Switchboard}; it
 * registers itself as a sync listener.
 *
 * <ul>
 *   <li>An <b>agent</b> receives the events of the inboxes it is a member of, and events
 *       without inbox (contacts); an administrator receives the whole account.
 *   <li>A <b>contact</b> (identified by its contact inbox's pubsub token) receives only events
 *       of its own conversations that are visible to contacts ({@link Event#visibleToContact}):
 *       never private notes, activity messages, assignments or other agent-only events.
 *   <li>A subscriber that passes the sequence of the last event it saw first receives what it
 *       missed, replayed from the event log, then live events, without duplicates. Typing
 *       events are not replayed: they are stale by then.
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

  private final Switchboard switchboard;
  private final Clock clock;
  private final Duration presenceTtl;
  private final Set<Sub> subscriptions = new CopyOnWriteArraySet<>();
  private final Map<Long, Long> contactInboxOfConversation = new ConcurrentHashMap<>();
  private final Map<String, Instant> presence = new ConcurrentHashMap<>();
  private final AutoCloseable registration;

  private RealtimeHub(Switchboard switchboard, Duration presenceTtl) {
    this.switchboard = switchboard;
    this.clock = switchboard.channelContext().clock();
    this.presenceTtl = presenceTtl;
    this.registration = switchboard.dispatcher().register(new Listener() {
      @Override
      public void onEvent(Event event) {
        route(event);
      }
    });
  }

  /** A hub on {@code switchboard} with a presence TTL of 20 seconds. */
  public static RealtimeHub create(Switchboard switchboard) {
    return create(switchboard, Duration.ofSeconds(20));
  }

  public static RealtimeHub create(Switchboard switchboard, Duration presenceTtl) {
    return new RealtimeHub(switchboard, presenceTtl);
  }

  /**
   * Subscribes an agent of the account.
   *
   * @param lastSequence the last event sequence the client saw, or 0 for live events only
   * @throws NotFoundException when the user is not an agent of the account
   */
  public Subscription subscribeAgent(long accountId, long userId, long lastSequence,
      Consumer<Event> sink) {
    AccountUser membership = switchboard.admin().membership(accountId, userId);
    Sub sub = new Sub(accountId, "agent:" + userId, sink) {
      volatile Set<Long> inboxes = inboxesOf(membership);

      @Override
      boolean sees(Event e) {
        return membership.role() == Role.ADMINISTRATOR || e.inboxId() == null
            || inboxes.contains(e.inboxId());
      }

      @Override
      void refresh() {
        inboxes = inboxesOf(membership);
      }
    };
    return start(sub, lastSequence);
  }

  private Set<Long> inboxesOf(AccountUser membership) {
    return Set.copyOf(switchboard.admin().inboxIdsOf(membership.accountId(), membership.userId()));
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
      boolean sees(Event e) {
        return e.visibleToContact() && e.conversationId() != null
            && contactInboxOf(e) == ci.id();
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
    return contactInboxOfConversation.computeIfAbsent(e.conversationId(), id ->
        switchboard.conversations().find(e.accountId(), id)
            .map(Conversation::contactInboxId).orElse(-1L));
  }

  private Subscription start(Sub sub, long lastSequence) {
    subscriptions.add(sub);
    sub.heartbeat();
    long after = lastSequence;
    if (lastSequence > 0) {
      while (true) {
        List<Event> missed = switchboard.events(sub.accountId, after, REPLAY_PAGE);
        for (Event e : missed) {
          after = e.sequence();
          if (!isTyping(e)) {
            sub.offerReplayed(e);
          }
        }
        if (missed.size() < REPLAY_PAGE) {
          break;
        }
      }
    }
    sub.goLive();
    return sub;
  }

  /** Typing is a moment's state: replayed after a reconnect it would show a stale "typing…". */
  private static boolean isTyping(Event e) {
    return e.type() == EventType.CONVERSATION_TYPING_ON
        || e.type() == EventType.CONVERSATION_TYPING_OFF;
  }

  private void route(Event event) {
    for (Sub sub : subscriptions) {
      if (sub.accountId == event.accountId()) {
        sub.offerLive(event);
      }
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

  private abstract class Sub implements Subscription {
    final long accountId;
    final String presenceKey;
    private final Consumer<Event> sink;
    private final Set<Long> replayed = new HashSet<>();
    private List<Event> buffer = new ArrayList<>();
    private volatile long lastSequence;

    Sub(long accountId, String who, Consumer<Event> sink) {
      this.accountId = accountId;
      this.presenceKey = accountId + "/" + who;
      this.sink = sink;
    }

    abstract boolean sees(Event e);

    void refresh() {}

    synchronized void offerReplayed(Event e) {
      replayed.add(e.sequence());
      deliver(e);
    }

    synchronized void offerLive(Event e) {
      if (buffer != null) {
        buffer.add(e);
      } else if (!replayed.remove(e.sequence())) {
        deliver(e);
      }
    }

    synchronized void goLive() {
      for (Event e : buffer) {
        if (!replayed.remove(e.sequence())) {
          deliver(e);
        }
      }
      buffer = null;
      // replayed stays: a live dispatch may still trail its commit, and must not repeat
    }

    private void deliver(Event e) {
      try {
        if (sees(e)) {
          sink.accept(e);
          lastSequence = Math.max(lastSequence, e.sequence());
        }
      } catch (RuntimeException ex) {
        LOG.warn("real-time sink failed on {}: {}", e, ex.toString());
      }
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
      presence.put(presenceKey, clock.instant());
      refresh();
    }

    @Override
    public void close() {
      subscriptions.remove(this);
      if (subscriptions.stream().noneMatch(s -> s.presenceKey.equals(presenceKey))) {
        presence.remove(presenceKey);
      }
    }
  }
}
