package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.NotFoundException;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.realtime.RealtimeHub;
import io.switchboard.realtime.Subscription;
import io.switchboard.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real-time hub: who receives what, replay after reconnect, presence. */
abstract class RealtimeContract {
  /** A clock tests move by hand. */
  final MutableClock clock = new MutableClock();
  FailingStore store;
  Fixture f;
  RealtimeHub hub;
  Account acme;
  Inbox sales;
  Inbox support;
  User admin;
  User salesAgent;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    store = new FailingStore(newStore());
    f = new Fixture(store, b -> b.clock(clock));
    hub = RealtimeHub.create(f.sb);
    acme = f.account("Acme");
    sales = f.apiInbox(acme.id(), InboxDraft.of("Sales", ChannelType.API, Map.of()));
    support = f.apiInbox(acme.id(), InboxDraft.of("Support", ChannelType.API, Map.of()));
    admin = f.sb.admin().createAgent(acme.id(), "Ada", "ada@acme.test", Role.ADMINISTRATOR, null);
    salesAgent = f.sb.admin().createAgent(acme.id(), "Sam", "sam@acme.test", Role.AGENT, null);
    f.sb.admin().addInboxMember(acme.id(), sales.id(), salesAgent.id());
  }

  @AfterEach
  void tearDown() {
    hub.close();
    f.close();
  }

  private static List<String> contents(List<Event> events) {
    return events.stream().filter(e -> e.type() == EventType.MESSAGE_CREATED)
        .map(e -> e.message().content()).toList();
  }

  @Test
  void agentsReceiveTheirInboxesAdministratorsTheAccountAndOtherAccountsNothing() {
    Account other = f.account("Other");
    User outsider = f.sb.admin().createAgent(other.id(), "Olly", "olly@other.test",
        Role.ADMINISTRATOR, null);
    List<Event> toSam = new CopyOnWriteArrayList<>();
    List<Event> toAda = new CopyOnWriteArrayList<>();
    List<Event> toOlly = new CopyOnWriteArrayList<>();
    hub.subscribeAgent(acme.id(), salesAgent.id(), 0, toSam::add);
    hub.subscribeAgent(acme.id(), admin.id(), 0, toAda::add);
    hub.subscribeAgent(other.id(), outsider.id(), 0, toOlly::add);

    f.incoming(sales, "c1", "s-1", "sales question");
    f.incoming(support, "c2", "p-1", "support question");

    assertThat(contents(toSam)).containsExactly("sales question");
    assertThat(contents(toAda)).containsExactly("sales question", "support question");
    assertThat(toOlly).isEmpty();
    assertThatThrownBy(() -> hub.subscribeAgent(acme.id(), outsider.id(), 0, e -> {}))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aContactReceivesOnlyThePublicEventsOfItsOwnConversations() {
    Message first = f.incoming(support, "visitor-1", "v-1", "hello");
    f.incoming(support, "visitor-2", "v-2", "someone else");
    ContactInbox mine = f.sb.contacts().contactInboxes(acme.id(),
        f.sb.conversations().get(acme.id(), first.conversationId()).contactId()).get(0);
    List<Event> toVisitor = new CopyOnWriteArrayList<>();
    hub.subscribeContact(mine.pubsubToken(), 0, toVisitor::add);

    long conversation = first.conversationId();
    f.sb.messages().reply(acme.id(), conversation, MessageDraft.text("public answer"), Actor.user(admin));
    f.sb.messages().note(acme.id(), conversation, "internal: VIP", Actor.user(admin));
    f.sb.conversations().assign(acme.id(), conversation, admin.id(), Actor.user(admin));
    f.incoming(support, "visitor-2", "v-3", "other visitor again");
    f.sb.conversations().changeStatus(acme.id(), conversation, ConversationStatus.RESOLVED, null,
        Actor.user(admin));

    assertThat(contents(toVisitor)).containsExactly("public answer");
    assertThat(toVisitor).extracting(Event::type).doesNotContain(EventType.ASSIGNEE_CHANGED,
        EventType.CONVERSATION_UPDATED);
    assertThat(toVisitor).extracting(Event::type).contains(EventType.CONVERSATION_RESOLVED);
    assertThat(toVisitor).allSatisfy(e -> assertThat(e.conversationId()).isEqualTo(conversation));
    assertThat(toVisitor).filteredOn(e -> e.type() == EventType.MESSAGE_CREATED)
        .allSatisfy(e -> assertThat(e.message().isPublic()).isTrue());
    assertThatThrownBy(() -> hub.subscribeContact("not-a-token", 0, e -> {}))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aClientThatReconnectsWithItsLastSequenceGetsWhatItMissedOnceThenLiveEvents() {
    List<Event> firstConnection = new CopyOnWriteArrayList<>();
    Subscription sub = hub.subscribeAgent(acme.id(), admin.id(), 0, firstConnection::add);
    f.incoming(sales, "c1", "r-1", "before the drop");
    long last = sub.lastSequence();
    sub.close();

    f.incoming(sales, "c1", "r-2", "while away 1");
    f.incoming(sales, "c1", "r-3", "while away 2");

    List<Event> secondConnection = new CopyOnWriteArrayList<>();
    hub.subscribeAgent(acme.id(), admin.id(), last, secondConnection::add);
    f.incoming(sales, "c1", "r-4", "after reconnect");

    assertThat(contents(firstConnection)).containsExactly("before the drop");
    assertThat(contents(secondConnection))
        .containsExactly("while away 1", "while away 2", "after reconnect");
    assertThat(secondConnection).extracting(Event::sequence).isSorted().doesNotHaveDuplicates()
        .allSatisfy(s -> assertThat(s).isGreaterThan(last));
  }

  ContactInbox contactInboxOf(Message m) {
    return f.sb.contacts().contactInboxes(acme.id(),
        f.sb.conversations().get(acme.id(), m.conversationId()).contactId()).get(0);
  }

  @Test
  void typingReachesTheVisitorAndTheAgentWithWhoIsTyping() {
    Message first = f.incoming(sales, "visitor-1", "t-1", "hello");
    long conversation = first.conversationId();
    List<Event> toVisitor = new CopyOnWriteArrayList<>();
    List<Event> toSam = new CopyOnWriteArrayList<>();
    hub.subscribeContact(contactInboxOf(first).pubsubToken(), 0, toVisitor::add);
    hub.subscribeAgent(acme.id(), salesAgent.id(), 0, toSam::add);
    io.switchboard.model.Contact visitor = f.sb.contacts().get(acme.id(),
        f.sb.conversations().get(acme.id(), conversation).contactId());

    f.sb.conversations().typing(acme.id(), conversation, true, Actor.user(salesAgent));
    f.sb.conversations().typing(acme.id(), conversation, true, Actor.contact(visitor));
    f.sb.conversations().typing(acme.id(), conversation, false, Actor.user(salesAgent));

    for (List<Event> received : List.of(toVisitor, toSam)) {
      assertThat(received).extracting(e -> e.type() + " by " + e.performer().type().wireName())
          .containsExactly("CONVERSATION_TYPING_ON by user", "CONVERSATION_TYPING_ON by contact",
              "CONVERSATION_TYPING_OFF by user");
      assertThat(received).allSatisfy(e -> assertThat(e.conversationId()).isEqualTo(conversation));
    }
  }

  @Test
  void anAgentTypingAPrivateNoteIsShownToAgentsOnly() {
    Message first = f.incoming(sales, "visitor-2", "p-1", "hello");
    long conversation = first.conversationId();
    List<Event> toVisitor = new CopyOnWriteArrayList<>();
    List<Event> toSam = new CopyOnWriteArrayList<>();
    hub.subscribeContact(contactInboxOf(first).pubsubToken(), 0, toVisitor::add);
    hub.subscribeAgent(acme.id(), salesAgent.id(), 0, toSam::add);

    f.sb.conversations().typing(acme.id(), conversation, true, true, Actor.user(salesAgent));
    f.sb.conversations().typing(acme.id(), conversation, false, true, Actor.user(salesAgent));
    f.sb.conversations().typing(acme.id(), conversation, true, false, Actor.user(salesAgent));

    assertThat(toSam).extracting(e -> e.type() + (e.privateTyping() ? " private" : ""))
        .containsExactly("CONVERSATION_TYPING_ON private", "CONVERSATION_TYPING_OFF private",
            "CONVERSATION_TYPING_ON");
    assertThat(toVisitor).extracting(Event::type)
        .containsExactly(io.switchboard.event.EventType.CONVERSATION_TYPING_ON);
    assertThat(toVisitor.get(0).privateTyping()).isFalse();
  }

  @Test
  void typingIsNotReplayedAfterAReconnect() {
    Message first = f.incoming(sales, "visitor-1", "t-1", "hello");
    long conversation = first.conversationId();
    String token = contactInboxOf(first).pubsubToken();
    List<Event> before = new CopyOnWriteArrayList<>();
    Subscription visitor = hub.subscribeContact(token, 0, before::add);
    Subscription agent = hub.subscribeAgent(acme.id(), admin.id(), 0, e -> {});
    f.sb.messages().reply(acme.id(), conversation, MessageDraft.text("first answer"),
        Actor.user(admin));
    long visitorLast = visitor.lastSequence();
    long agentLast = agent.lastSequence();
    visitor.close();
    agent.close();

    f.sb.conversations().typing(acme.id(), conversation, true, Actor.user(admin));
    f.sb.messages().reply(acme.id(), conversation, MessageDraft.text("while away"),
        Actor.user(admin));
    f.sb.conversations().typing(acme.id(), conversation, true, Actor.user(admin));

    List<Event> visitorAgain = new CopyOnWriteArrayList<>();
    List<Event> agentAgain = new CopyOnWriteArrayList<>();
    hub.subscribeContact(token, visitorLast, visitorAgain::add);
    hub.subscribeAgent(acme.id(), admin.id(), agentLast, agentAgain::add);
    f.sb.conversations().typing(acme.id(), conversation, false, Actor.user(admin));

    assertThat(contents(visitorAgain)).containsExactly("while away");
    assertThat(contents(agentAgain)).containsExactly("while away");
    for (List<Event> received : List.of(visitorAgain, agentAgain)) {
      // the live typing_off arrives; the stale typing_on of the log does not
      assertThat(received).extracting(Event::type).doesNotContain(EventType.CONVERSATION_TYPING_ON)
          .contains(EventType.CONVERSATION_TYPING_OFF);
    }
  }

  long newestSequence() {
    List<Event> log = f.sb.events(acme.id(), 0, 100_000);
    return log.get(log.size() - 1).sequence();
  }

  /** {@code agent} connects, sees one message and drops: the sequence it resumes after. */
  long lastSequenceBeforeADrop(User agent, String messageId) {
    Subscription first = hub.subscribeAgent(acme.id(), agent.id(), 0, e -> {});
    f.incoming(sales, "c1", messageId, "before the drop");
    long last = first.lastSequence();
    first.close();
    return last;
  }

  @Test
  void aClientThatMissedMoreThanTheHubReplaysIsToldToResyncInsteadOfReadingTheWholeLog() {
    long last = lastSequenceBeforeADrop(admin, "g-1");
    f.incoming(sales, "c1", "g-2", "small gap");
    int smallGap = f.sb.events(acme.id(), last, 100_000).size();
    try (RealtimeHub capped = RealtimeHub.builder(f.sb).maxReplay(smallGap).build()) {
      List<Event> afterSmallGap = new CopyOnWriteArrayList<>();
      Subscription small = capped.subscribeAgent(acme.id(), admin.id(), last, afterSmallGap::add);
      assertThat(small.mustResync()).isFalse();
      assertThat(contents(afterSmallGap)).containsExactly("small gap");
      small.close();

      f.incoming(sales, "c1", "g-3", "big gap 1");
      f.incoming(sales, "c1", "g-4", "big gap 2");
      List<Event> afterBigGap = new CopyOnWriteArrayList<>();
      Subscription big = capped.subscribeAgent(acme.id(), admin.id(), last, afterBigGap::add);
      assertThat(big.mustResync()).isTrue();
      assertThat(afterBigGap).isEmpty();
      // it resumes after what it will read over HTTP, not after its old sequence
      assertThat(big.lastSequence()).isGreaterThanOrEqualTo(newestSequence());
      f.incoming(sales, "c1", "g-5", "live again");
      assertThat(contents(afterBigGap)).containsExactly("live again");

      // a client choosing to resume after the very first event is capped the same way
      List<Event> fromTheStart = new CopyOnWriteArrayList<>();
      Subscription greedy = capped.subscribeContact(contactInboxOf(
          f.incoming(sales, "c1", "g-6", "visitor")).pubsubToken(), 1, fromTheStart::add);
      assertThat(greedy.mustResync()).isTrue();
      assertThat(fromTheStart).isEmpty();
    }
    assertThatThrownBy(() -> RealtimeHub.builder(f.sb).maxReplay(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxReplay");
  }

  @Test
  void contactsGetTheirRepliesWhileTheirConversationsLeaveAndReenterTheCache() {
    Message a = f.incoming(support, "visitor-a", "a-1", "from a");
    Message b = f.incoming(support, "visitor-b", "b-1", "from b");
    try (RealtimeHub small = RealtimeHub.builder(f.sb).conversationCache(1).build()) {
      List<Event> toA = new CopyOnWriteArrayList<>();
      List<Event> toB = new CopyOnWriteArrayList<>();
      small.subscribeContact(contactInboxOf(a).pubsubToken(), 0, toA::add);
      small.subscribeContact(contactInboxOf(b).pubsubToken(), 0, toB::add);
      for (int i = 1; i <= 3; i++) {
        f.sb.messages().reply(acme.id(), a.conversationId(), MessageDraft.text("to a " + i),
            Actor.user(admin));
        f.sb.messages().reply(acme.id(), b.conversationId(), MessageDraft.text("to b " + i),
            Actor.user(admin));
      }
      assertThat(contents(toA)).containsExactly("to a 1", "to a 2", "to a 3");
      assertThat(contents(toB)).containsExactly("to b 1", "to b 2", "to b 3");
    }
  }

  @Test
  void presenceExpiresWithoutHeartbeatsAndEndsOnClose() {
    Subscription sam = hub.subscribeAgent(acme.id(), salesAgent.id(), 0, e -> {});
    Subscription ada = hub.subscribeAgent(acme.id(), admin.id(), 0, e -> {});
    assertThat(hub.onlineAgents(acme.id())).containsExactlyInAnyOrder(salesAgent.id(), admin.id());

    clock.now = clock.now.plus(Duration.ofSeconds(15));
    sam.heartbeat();
    clock.now = clock.now.plus(Duration.ofSeconds(10));
    assertThat(hub.onlineAgents(acme.id())).containsExactly(salesAgent.id());

    sam.close();
    assertThat(hub.onlineAgents(acme.id())).isEmpty();
    ada.close();
  }

  @Test
  void aNewInboxMembershipIsPickedUpOnTheNextHeartbeat() {
    List<Event> toSam = new CopyOnWriteArrayList<>();
    Subscription sam = hub.subscribeAgent(acme.id(), salesAgent.id(), 0, toSam::add);
    f.incoming(support, "c9", "m-1", "not yet visible");
    f.sb.admin().addInboxMember(acme.id(), support.id(), salesAgent.id());
    sam.heartbeat();
    f.incoming(support, "c9", "m-2", "now visible");
    assertThat(contents(toSam)).containsExactly("now visible");
  }

  @Test
  void aDemotedAdministratorSeesOnlyItsOwnInboxesFromItsNextHeartbeat() {
    List<Event> toAda = new CopyOnWriteArrayList<>();
    Subscription ada = hub.subscribeAgent(acme.id(), admin.id(), 0, toAda::add);
    f.incoming(support, "c1", "d-1", "support while administrator");
    f.sb.admin().updateAgentRole(acme.id(), admin.id(), Role.AGENT);
    f.sb.admin().addInboxMember(acme.id(), sales.id(), admin.id());
    ada.heartbeat();

    f.incoming(support, "c1", "d-2", "support after demotion");
    f.incoming(sales, "c2", "d-3", "sales after demotion");

    assertThat(contents(toAda))
        .containsExactly("support while administrator", "sales after demotion");
    assertThat(hub.onlineAgents(acme.id())).contains(admin.id());
  }

  @Test
  void anAgentRemovedFromTheAccountHasItsSubscriptionEndedAtItsNextHeartbeat() {
    List<Event> toSam = new CopyOnWriteArrayList<>();
    List<String> endings = new CopyOnWriteArrayList<>();
    Subscription sam = hub.subscribeAgent(acme.id(), salesAgent.id(), 0, toSam::add,
        endings::add);
    f.incoming(sales, "c1", "x-1", "while a member");
    store.removedAgents.add(salesAgent.id());

    sam.heartbeat();
    f.incoming(sales, "c1", "x-2", "after removal");
    sam.heartbeat();

    assertThat(contents(toSam)).containsExactly("while a member");
    assertThat(endings).containsExactly("no longer an agent of the account");
    assertThat(hub.onlineAgents(acme.id())).doesNotContain(salesAgent.id());
    assertThatThrownBy(() -> hub.subscribeAgent(acme.id(), salesAgent.id(), 0, e -> {}))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aSubscriptionWhoseReplayCannotBeReadIsNotLeftBehind() {
    long last = lastSequenceBeforeADrop(salesAgent, "o-1");
    f.incoming(sales, "c1", "o-2", "while away");

    store.failNextCall.set("listEvents");
    List<Event> failed = new CopyOnWriteArrayList<>();
    assertThatThrownBy(() -> hub.subscribeAgent(acme.id(), salesAgent.id(), last, failed::add))
        .hasStackTraceContaining("simulated database outage");
    assertThat(hub.onlineAgents(acme.id())).isEmpty();

    List<Event> retried = new CopyOnWriteArrayList<>();
    Subscription again = hub.subscribeAgent(acme.id(), salesAgent.id(), last, retried::add);
    f.incoming(sales, "c1", "o-3", "after the retry");
    assertThat(contents(retried)).containsExactly("while away", "after the retry");
    assertThat(failed).isEmpty();
    again.close();
    assertThat(hub.onlineAgents(acme.id())).isEmpty();
  }
}
