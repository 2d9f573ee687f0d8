package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConversationFilter;
import io.switchboard.NotFoundException;
import io.switchboard.Page;
import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.Priority;
import io.switchboard.model.Role;
import io.switchboard.model.SenderType;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agents' operations on conversations: the activity messages they write, the events they
 * emit, listing filters and pagination.
 */
abstract class ConversationOpsContract {
  Fixture f;
  Account account;
  Inbox inbox;
  User annaUser;
  User bobUser;
  Actor anna;
  Team support;
  Conversation conversation;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    start(new Fixture(newStore()));
  }

  private void start(Fixture fixture) {
    f = fixture;
    account = f.account("Acme");
    inbox = f.apiInbox(account.id());
    annaUser = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    bobUser = f.sb.admin().createAgent(account.id(), "Bob", "bob@acme.test", Role.AGENT, null);
    anna = Actor.user(annaUser);
    support = f.sb.admin().createTeam(account.id(), "Support", "first line");
    conversation = conversationOf(f.incoming(inbox, "customer-1", "m-1", "help"));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private long id() {
    return account.id();
  }

  private Conversation conversationOf(Message m) {
    return f.sb.conversations().get(id(), m.conversationId());
  }

  private List<Message> messages(long conversationId) {
    return f.sb.messages().list(id(), conversationId, null, 200).items();
  }

  private Message lastMessage(long conversationId) {
    List<Message> all = messages(conversationId);
    return all.get(all.size() - 1);
  }

  /** The events emitted from now on, as the sync listener sees them. */
  private List<Event> eventsDuring(Runnable action) {
    int mark = f.syncEvents.size();
    action.run();
    return f.syncEventsFrom(mark);
  }

  private static List<EventType> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  private void assertActivity(long conversationId, String text) {
    Message m = lastMessage(conversationId);
    assertThat(m.messageType()).isEqualTo(MessageType.ACTIVITY);
    assertThat(m.senderType()).isEqualTo(SenderType.SYSTEM);
    assertThat(m.privateNote()).isFalse();
    assertThat(m.content()).isEqualTo(text);
  }

  private static void assertStatusChange(List<Event> events, String from, String to) {
    assertThat(events).filteredOn(e -> e.type() != EventType.MESSAGE_CREATED)
        .allSatisfy(e -> assertThat(e.changedAttributes())
            .containsExactlyEntriesOf(Map.of("status", new Change(from, to))));
  }

  private Conversation changeStatus(long conversationId, ConversationStatus status) {
    return f.sb.conversations().changeStatus(id(), conversationId, status, null, anna);
  }

  // ---------------------------------------------------------------- status

  @Test
  void resolvingWritesTheActivityMessageAndEmitsStatusChangedUpdatedAndResolved() {
    Conversation[] result = new Conversation[1];
    List<Event> events = eventsDuring(() ->
        result[0] = changeStatus(conversation.id(), ConversationStatus.RESOLVED));

    assertThat(result[0].status()).isEqualTo(ConversationStatus.RESOLVED);
    assertThat(f.sb.conversations().get(id(), conversation.id()).status())
        .isEqualTo(ConversationStatus.RESOLVED);
    assertActivity(conversation.id(), "Conversation was marked resolved by Anna");
    assertThat(types(events)).containsExactly(EventType.CONVERSATION_STATUS_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.CONVERSATION_RESOLVED, EventType.MESSAGE_CREATED);
    assertStatusChange(events, "open", "resolved");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.performer()).isEqualTo(anna);
      assertThat(e.conversationId()).isEqualTo(conversation.id());
    });
    assertThat(events.get(0).conversation().status()).isEqualTo(ConversationStatus.RESOLVED);
  }

  @Test
  void reopeningWritesTheActivityMessageAndEmitsOpened() {
    changeStatus(conversation.id(), ConversationStatus.RESOLVED);

    List<Event> events = eventsDuring(() -> changeStatus(conversation.id(), ConversationStatus.OPEN));

    assertActivity(conversation.id(), "Conversation was reopened by Anna");
    assertThat(types(events)).containsExactly(EventType.CONVERSATION_STATUS_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.CONVERSATION_OPENED, EventType.MESSAGE_CREATED);
    assertStatusChange(events, "resolved", "open");
  }

  @Test
  void markingPendingWritesTheActivityMessageAndEmitsNeitherOpenedNorResolved() {
    List<Event> events = eventsDuring(() ->
        changeStatus(conversation.id(), ConversationStatus.PENDING));

    assertActivity(conversation.id(), "Conversation was marked as pending by Anna");
    assertThat(types(events)).containsExactly(EventType.CONVERSATION_STATUS_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.MESSAGE_CREATED);
    assertStatusChange(events, "open", "pending");
  }

  @Test
  void snoozingKeepsTheWakeUpTimeAndWritesTheActivityMessage() {
    Instant until = Instant.parse("2099-03-01T08:00:00Z");
    List<Event> events = eventsDuring(() -> f.sb.conversations().changeStatus(id(),
        conversation.id(), ConversationStatus.SNOOZED, until, anna));

    Conversation c = f.sb.conversations().get(id(), conversation.id());
    assertThat(c.status()).isEqualTo(ConversationStatus.SNOOZED);
    assertThat(c.snoozedUntil()).isEqualTo(until);
    assertActivity(conversation.id(), "Conversation was snoozed by Anna");
    assertThat(types(events)).containsExactly(EventType.CONVERSATION_STATUS_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.MESSAGE_CREATED);
    assertStatusChange(events, "open", "snoozed");

    changeStatus(conversation.id(), ConversationStatus.OPEN);
    assertThat(f.sb.conversations().get(id(), conversation.id()).snoozedUntil()).isNull();
  }

  @Test
  void aSnoozedConversationReopensWhenItsTimeHasPassed() {
    f.close();
    MutableClock clock = new MutableClock();
    start(new Fixture(newStore(), b -> b.clock(clock).snoozeCheckInterval(Duration.ofMillis(50))));
    Instant until = clock.instant().plus(Duration.ofHours(2));
    f.sb.conversations().changeStatus(id(), conversation.id(), ConversationStatus.SNOOZED,
        until, anna);
    long later = conversationOf(f.incoming(inbox, "customer-2", "m-2", "hi")).id();
    f.sb.conversations().changeStatus(id(), later, ConversationStatus.SNOOZED,
        until.plus(Duration.ofDays(1)), anna);
    long untilNextMessage = conversationOf(f.incoming(inbox, "customer-3", "m-3", "hi")).id();
    f.sb.conversations().changeStatus(id(), untilNextMessage, ConversationStatus.SNOOZED, null,
        anna);
    Account other = f.account("Other");
    Inbox otherInbox = f.apiInbox(other.id());
    long theirs = f.incoming(otherInbox, "customer-1", "m-1", "hi").conversationId();
    f.sb.conversations().changeStatus(other.id(), theirs, ConversationStatus.SNOOZED,
        until.minusSeconds(60), Actor.system());
    int messagesBefore = messages(conversation.id()).size();
    int mark = f.syncEvents.size();

    clock.now = until;

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(f.sb.conversations().get(id(), conversation.id()).status())
          .isEqualTo(ConversationStatus.OPEN);
      assertThat(f.sb.conversations().get(other.id(), theirs).status())
          .isEqualTo(ConversationStatus.OPEN);
      // the timer commits each reopening, then dispatches its events
      assertThat(f.syncEvents(EventType.CONVERSATION_OPENED)).anySatisfy(e ->
          assertThat(e.conversationId()).isEqualTo(conversation.id()));
    });
    Conversation reopened = f.sb.conversations().get(id(), conversation.id());
    assertThat(reopened.snoozedUntil()).isNull();
    assertThat(reopened.updatedAt()).isEqualTo(until);
    assertThat(f.sb.conversations().get(id(), later).status())
        .as("snoozed until a later time").isEqualTo(ConversationStatus.SNOOZED);
    assertThat(f.sb.conversations().get(id(), untilNextMessage).status())
        .as("snoozed until the next message").isEqualTo(ConversationStatus.SNOOZED);
    List<Event> events = f.syncEventsFrom(mark).stream()
        .filter(e -> e.conversationId() != null && e.conversationId() == conversation.id())
        .toList();
    assertThat(types(events)).containsExactly(EventType.CONVERSATION_STATUS_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.CONVERSATION_OPENED);
    assertStatusChange(events, "snoozed", "open");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.performer()).isEqualTo(Actor.system());
      assertThat(e.accountId()).isEqualTo(id());
      assertThat(e.occurredAt()).isEqualTo(until);
    });
    assertThat(messages(conversation.id())).as("like Chatwoot, no activity message")
        .hasSize(messagesBefore);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.asyncEvents).extracting(Event::id)
            .containsAll(events.stream().map(Event::id).toList()));
  }

  @Test
  void markingAConversationReadEmitsConversationReadAndChangesNothingElse() {
    Conversation before = f.sb.conversations().get(id(), conversation.id());
    int messagesBefore = messages(conversation.id()).size();

    List<Event> events = eventsDuring(() ->
        f.sb.conversations().markRead(id(), conversation.id(), anna));

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventType.CONVERSATION_READ);
      assertThat(e.accountId()).isEqualTo(id());
      assertThat(e.inboxId()).isEqualTo(inbox.id());
      assertThat(e.conversationId()).isEqualTo(conversation.id());
      assertThat(e.conversation()).isEqualTo(before);
      assertThat(e.changedAttributes()).isEmpty();
      assertThat(e.performer()).isEqualTo(anna);
    });
    assertThat(f.sb.conversations().get(id(), conversation.id())).isEqualTo(before);
    assertThat(messages(conversation.id())).hasSize(messagesBefore);
    String readId = events.get(0).id();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.asyncEvents(EventType.CONVERSATION_READ)).extracting(Event::id)
            .contains(readId));
    assertThatThrownBy(() -> f.sb.conversations().markRead(id(), 999_999, anna))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void openingAPendingConversationEmitsBotHandoff() {
    changeStatus(conversation.id(), ConversationStatus.PENDING);

    List<Event> events = eventsDuring(() -> changeStatus(conversation.id(), ConversationStatus.OPEN));

    assertThat(types(events)).containsExactly(EventType.CONVERSATION_STATUS_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.CONVERSATION_OPENED,
        EventType.CONVERSATION_BOT_HANDOFF, EventType.MESSAGE_CREATED);
    assertStatusChange(events, "pending", "open");
    assertActivity(conversation.id(), "Conversation was reopened by Anna");
  }

  @Test
  void changingToTheCurrentStatusWritesNothingAndEmitsNothing() {
    int before = messages(conversation.id()).size();
    List<Event> events = eventsDuring(() -> changeStatus(conversation.id(), ConversationStatus.OPEN));
    assertThat(events).isEmpty();
    assertThat(messages(conversation.id())).hasSize(before);
  }

  @Test
  void theSystemResolvingWritesItsOwnActivityText() {
    f.sb.conversations().changeStatus(id(), conversation.id(), ConversationStatus.RESOLVED, null,
        Actor.system());
    assertActivity(conversation.id(), "Conversation was resolved by system");
  }

  @Test
  void activityMessagesDoNotMoveLastActivity() {
    Instant before = f.sb.conversations().get(id(), conversation.id()).lastActivityAt();
    changeStatus(conversation.id(), ConversationStatus.PENDING);
    f.sb.conversations().setPriority(id(), conversation.id(), Priority.HIGH, anna);
    assertThat(f.sb.conversations().get(id(), conversation.id()).lastActivityAt()).isEqualTo(before);
  }

  // ---------------------------------------------------------------- assignment

  @Test
  void assigningAnotherAgentWritesAssignedToAndEmitsAssigneeChanged() {
    List<Event> events = eventsDuring(() ->
        f.sb.conversations().assign(id(), conversation.id(), bobUser.id(), anna));

    assertThat(f.sb.conversations().get(id(), conversation.id()).assigneeId()).isEqualTo(bobUser.id());
    assertActivity(conversation.id(), "Assigned to Bob by Anna");
    assertThat(types(events)).containsExactly(EventType.ASSIGNEE_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.MESSAGE_CREATED);
    assertThat(events.get(0).changedAttributes())
        .containsExactlyEntriesOf(Map.of("assignee_id", new Change(null, bobUser.id())));
    assertThat(events.get(0).conversation().assigneeId()).isEqualTo(bobUser.id());
  }

  @Test
  void assigningOneselfWritesSelfAssigned() {
    f.sb.conversations().assign(id(), conversation.id(), annaUser.id(), anna);
    assertActivity(conversation.id(), "Anna self-assigned this conversation");
  }

  @Test
  void unassigningWritesUnassignedAndEmitsAssigneeChanged() {
    f.sb.conversations().assign(id(), conversation.id(), bobUser.id(), anna);

    List<Event> events = eventsDuring(() ->
        f.sb.conversations().assign(id(), conversation.id(), null, anna));

    assertThat(f.sb.conversations().get(id(), conversation.id()).assigneeId()).isNull();
    assertActivity(conversation.id(), "Conversation unassigned by Anna");
    assertThat(events).filteredOn(e -> e.type() == EventType.ASSIGNEE_CHANGED).singleElement()
        .satisfies(e -> assertThat(e.changedAttributes().get("assignee_id"))
            .isEqualTo(new Change(bobUser.id(), null)));
  }

  @Test
  void reassigningTheSameAgentChangesNothing() {
    f.sb.conversations().assign(id(), conversation.id(), bobUser.id(), anna);
    int before = messages(conversation.id()).size();
    assertThat(eventsDuring(() ->
        f.sb.conversations().assign(id(), conversation.id(), bobUser.id(), anna))).isEmpty();
    assertThat(messages(conversation.id())).hasSize(before);
  }

  @Test
  void assigningAUserWhoIsNotAnAgentOfTheAccountIsNotFound() {
    Account other = f.account("Other");
    User stranger = f.sb.admin().createAgent(other.id(), "Stranger", "s@other.test", Role.AGENT, null);
    assertThatThrownBy(() -> f.sb.conversations().assign(id(), conversation.id(), stranger.id(), anna))
        .isInstanceOf(NotFoundException.class);
    assertThat(f.sb.conversations().get(id(), conversation.id()).assigneeId()).isNull();
  }

  @Test
  void assigningATeamWritesTheActivityAndEmitsTeamChanged() {
    List<Event> events = eventsDuring(() ->
        f.sb.conversations().assignTeam(id(), conversation.id(), support.id(), anna));

    assertThat(f.sb.conversations().get(id(), conversation.id()).teamId()).isEqualTo(support.id());
    assertActivity(conversation.id(), "Assigned to Support by Anna");
    assertThat(types(events)).containsExactly(EventType.TEAM_CHANGED,
        EventType.CONVERSATION_UPDATED, EventType.MESSAGE_CREATED);
    assertThat(events.get(0).changedAttributes())
        .containsExactlyEntriesOf(Map.of("team_id", new Change(null, support.id())));

    List<Event> removal = eventsDuring(() ->
        f.sb.conversations().assignTeam(id(), conversation.id(), null, anna));
    assertThat(f.sb.conversations().get(id(), conversation.id()).teamId()).isNull();
    assertActivity(conversation.id(), "Unassigned from Support by Anna");
    assertThat(removal.get(0).changedAttributes().get("team_id"))
        .isEqualTo(new Change(support.id(), null));
  }

  // ---------------------------------------------------------------- priority and labels

  @Test
  void settingChangingAndRemovingThePriorityWritesTheirActivityTexts() {
    List<Event> set = eventsDuring(() ->
        f.sb.conversations().setPriority(id(), conversation.id(), Priority.HIGH, anna));
    assertActivity(conversation.id(), "Anna set the priority to high");
    assertThat(f.sb.conversations().get(id(), conversation.id()).priority()).isEqualTo(Priority.HIGH);
    assertThat(types(set)).containsExactly(EventType.CONVERSATION_UPDATED, EventType.MESSAGE_CREATED);
    assertThat(set.get(0).changedAttributes())
        .containsExactlyEntriesOf(Map.of("priority", new Change(null, "high")));

    List<Event> changed = eventsDuring(() ->
        f.sb.conversations().setPriority(id(), conversation.id(), Priority.URGENT, anna));
    assertActivity(conversation.id(), "Anna changed the priority from high to urgent");
    assertThat(changed.get(0).changedAttributes().get("priority"))
        .isEqualTo(new Change("high", "urgent"));

    List<Event> removed = eventsDuring(() ->
        f.sb.conversations().setPriority(id(), conversation.id(), null, anna));
    assertActivity(conversation.id(), "Anna removed the priority");
    assertThat(f.sb.conversations().get(id(), conversation.id()).priority()).isNull();
    assertThat(removed.get(0).changedAttributes().get("priority"))
        .isEqualTo(new Change("urgent", null));
  }

  @Test
  void addingAndRemovingLabelsWritesTheirActivityTextsAndKeepsLabelsSorted() {
    List<Event> added = eventsDuring(() -> f.sb.conversations().addLabels(id(), conversation.id(),
        List.of("VIP", " billing "), anna));

    Conversation c = f.sb.conversations().get(id(), conversation.id());
    assertThat(c.labels()).containsExactly("billing", "vip");
    assertActivity(conversation.id(), "Anna added vip, billing");
    assertThat(types(added)).containsExactly(EventType.CONVERSATION_UPDATED, EventType.MESSAGE_CREATED);
    assertThat(added.get(0).changedAttributes().get("label_list"))
        .isEqualTo(new Change(List.of(), List.of("billing", "vip")));

    int before = messages(conversation.id()).size();
    assertThat(eventsDuring(() -> f.sb.conversations().addLabels(id(), conversation.id(),
        List.of("vip"), anna))).isEmpty();
    assertThat(messages(conversation.id())).hasSize(before);

    f.sb.conversations().removeLabels(id(), conversation.id(), List.of("vip", "absent"), anna);
    assertActivity(conversation.id(), "Anna removed vip");
    assertThat(f.sb.conversations().get(id(), conversation.id()).labels()).containsExactly("billing");
  }

  @Test
  void theLabelFilterFollowsLabelsAddedAndRemoved() {
    Conversation other = conversationOf(f.incoming(inbox, "customer-2", "m-2", "hi"));
    f.sb.conversations().addLabels(id(), conversation.id(), List.of("vip", "billing"), anna);
    f.sb.conversations().addLabels(id(), other.id(), List.of("billing"), anna);

    assertThat(list(ConversationFilter.all().withLabel("vip"))).containsExactly(conversation.id());
    assertThat(list(ConversationFilter.all().withLabel("VIP"))).containsExactly(conversation.id());
    assertThat(list(ConversationFilter.all().withLabel("billing")))
        .containsExactlyInAnyOrder(conversation.id(), other.id());

    f.sb.conversations().removeLabels(id(), conversation.id(), List.of("vip"), anna);
    assertThat(list(ConversationFilter.all().withLabel("vip"))).isEmpty();
  }

  @Test
  void anInvalidLabelIsRejected() {
    assertThatThrownBy(() -> f.sb.conversations().addLabels(id(), conversation.id(),
        List.of("has space"), anna)).isInstanceOf(io.switchboard.ValidationException.class);
    assertThat(f.sb.conversations().get(id(), conversation.id()).labels()).isEmpty();
  }

  // ---------------------------------------------------------------- custom attributes

  @Test
  void customAttributesAreMergedKeyByKeyWithoutAnActivityMessage() {
    f.sb.conversations().setCustomAttributes(id(), conversation.id(),
        Map.of("plan", "gold", "seats", 3), anna);
    int before = messages(conversation.id()).size();
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("seats", null);
    patch.put("region", "eu");

    List<Event> events = eventsDuring(() ->
        f.sb.conversations().setCustomAttributes(id(), conversation.id(), patch, anna));

    assertThat(f.sb.conversations().get(id(), conversation.id()).customAttributes())
        .isEqualTo(Map.of("plan", "gold", "region", "eu"));
    assertThat(messages(conversation.id())).hasSize(before);
    assertThat(types(events)).containsExactly(EventType.CONVERSATION_UPDATED);
    assertThat(events.get(0).changedAttributes().get("custom_attributes")).isEqualTo(new Change(
        Map.of("plan", "gold", "seats", 3L), Map.of("plan", "gold", "region", "eu")));
    assertThat(eventsDuring(() -> f.sb.conversations().setCustomAttributes(id(),
        conversation.id(), Map.of("plan", "gold"), anna))).isEmpty();
  }

  // ---------------------------------------------------------------- look-ups and listing

  @Test
  void aConversationIsFoundByItsUuidAndByItsDisplayId() {
    Conversation second = conversationOf(f.incoming(inbox, "customer-2", "m-2", "hi"));

    assertThat(f.sb.conversations().getByUuid(id(), second.uuid())).isEqualTo(second);
    assertThat(f.sb.conversations().getByDisplayId(id(), 2)).isEqualTo(second);
    assertThat(f.sb.conversations().getByDisplayId(id(), 1).id()).isEqualTo(conversation.id());
    assertThatThrownBy(() -> f.sb.conversations().getByUuid(id(), java.util.UUID.randomUUID().toString()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.conversations().getByDisplayId(id(), 3))
        .isInstanceOf(NotFoundException.class);
  }

  private List<Long> list(ConversationFilter filter) {
    return f.sb.conversations().list(id(), filter, null, 200).items().stream()
        .map(Conversation::id).toList();
  }

  @Test
  void listFiltersSelectByStatusInboxAssigneeTeamLabelAndUnassigned() {
    Inbox second = f.sb.admin().createInbox(id(),
        io.switchboard.InboxDraft.of("Second", io.switchboard.model.ChannelType.API, Map.of()));
    long c1 = conversation.id();
    long c2 = conversationOf(f.incoming(inbox, "customer-2", "m-2", "hi")).id();
    long c3 = conversationOf(f.incoming(second, "customer-3", "m-3", "hi")).id();
    long c4 = conversationOf(f.incoming(second, "customer-4", "m-4", "hi")).id();
    f.sb.conversations().assign(id(), c1, bobUser.id(), anna);
    f.sb.conversations().assign(id(), c3, annaUser.id(), anna);
    f.sb.conversations().assignTeam(id(), c2, support.id(), anna);
    f.sb.conversations().assignTeam(id(), c3, support.id(), anna);
    f.sb.conversations().addLabels(id(), c4, List.of("vip"), anna);
    changeStatus(c2, ConversationStatus.RESOLVED);
    changeStatus(c4, ConversationStatus.PENDING);

    assertThat(list(ConversationFilter.all())).containsExactlyInAnyOrder(c1, c2, c3, c4);
    assertThat(list(ConversationFilter.all().withStatuses(ConversationStatus.OPEN)))
        .containsExactlyInAnyOrder(c1, c3);
    assertThat(list(ConversationFilter.all().withStatuses(ConversationStatus.RESOLVED,
        ConversationStatus.PENDING))).containsExactlyInAnyOrder(c2, c4);
    assertThat(list(ConversationFilter.all().withStatuses(ConversationStatus.SNOOZED))).isEmpty();
    assertThat(list(ConversationFilter.all().withInbox(inbox.id()))).containsExactlyInAnyOrder(c1, c2);
    assertThat(list(ConversationFilter.all().withInbox(second.id()))).containsExactlyInAnyOrder(c3, c4);
    assertThat(list(ConversationFilter.all().withAssignee(bobUser.id()))).containsExactly(c1);
    assertThat(list(ConversationFilter.all().withAssignee(annaUser.id()))).containsExactly(c3);
    assertThat(list(ConversationFilter.all().withTeam(support.id()))).containsExactlyInAnyOrder(c2, c3);
    assertThat(list(ConversationFilter.all().withLabel("vip"))).containsExactly(c4);
    assertThat(list(ConversationFilter.all().onlyUnassigned())).containsExactlyInAnyOrder(c2, c4);
    assertThat(list(ConversationFilter.all().withinInboxes(List.of(second.id()))))
        .containsExactlyInAnyOrder(c3, c4);
    assertThat(list(ConversationFilter.all().withinInboxes(List.of(inbox.id(), second.id()))))
        .containsExactlyInAnyOrder(c1, c2, c3, c4);
    assertThat(list(ConversationFilter.all().withinInboxes(List.of()))).isEmpty();
    // filters combine
    assertThat(list(ConversationFilter.all().withTeam(support.id())
        .withStatuses(ConversationStatus.OPEN))).containsExactly(c3);
    assertThat(list(ConversationFilter.all().onlyUnassigned().withInbox(second.id())))
        .containsExactly(c4);
    assertThat(list(ConversationFilter.all().withinInboxes(List.of(inbox.id()))
        .withStatuses(ConversationStatus.OPEN))).containsExactly(c1);
  }

  @Test
  void listingIsOrderedByLastActivityNewestFirst() {
    // a second between messages: activity times that fall in one millisecond would tie
    MutableClock clock = new MutableClock();
    f.close();
    start(new Fixture(newStore(), b -> b.clock(clock)));
    clock.advance(Duration.ofSeconds(1));
    long c2 = conversationOf(f.incoming(inbox, "customer-2", "m-2", "hi")).id();
    clock.advance(Duration.ofSeconds(1));
    long c3 = conversationOf(f.incoming(inbox, "customer-3", "m-3", "hi")).id();
    clock.advance(Duration.ofSeconds(1));
    f.incoming(inbox, "customer-1", "m-1b", "me again");

    List<Conversation> listed = f.sb.conversations().list(id(), ConversationFilter.all(), null, 200)
        .items();
    assertThat(listed).isSortedAccordingTo(NEWEST_FIRST);
    assertThat(listed.get(0).id()).isEqualTo(conversation.id());
    assertThat(listed).extracting(Conversation::id).contains(c2, c3);
  }

  static final Comparator<Conversation> NEWEST_FIRST = Comparator
      .comparing(Conversation::lastActivityAt).reversed()
      .thenComparing(Comparator.comparingLong(Conversation::id).reversed());

  private void assertPagesCoverEveryConversationOnce(int total, int limit) {
    List<Conversation> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      Page<Conversation> page = f.sb.conversations().list(id(), ConversationFilter.all(), cursor, limit);
      seen.addAll(page.items());
      sizes.add(page.items().size());
      cursor = page.nextCursor();
    } while (cursor != null && sizes.size() <= total);

    assertThat(seen).extracting(Conversation::id).doesNotHaveDuplicates().hasSize(total);
    assertThat(seen).isSortedAccordingTo(NEWEST_FIRST);
    assertThat(Set.copyOf(seen.stream().map(Conversation::id).toList())).isEqualTo(
        Set.copyOf(list(ConversationFilter.all())));
    List<Integer> expected = new ArrayList<>();
    for (int left = total; left > 0; left -= limit) {
      expected.add(Math.min(limit, left));
    }
    assertThat(sizes).isEqualTo(expected);
  }

  @Test
  void pagingTwentyFiveConversationsTenAtATimeReturnsEachOnceNewestFirst() {
    for (int i = 2; i <= 25; i++) {
      f.incoming(inbox, "customer-" + i, "m-" + i, "hi");
    }
    assertPagesCoverEveryConversationOnce(25, 10);
  }

  @Test
  void pagingReturnsEachConversationOnceWhenManyShareTheSameLastActivity() {
    f.close();
    Clock frozen = Clock.fixed(Instant.parse("2026-05-01T10:00:00.123Z"), ZoneOffset.UTC);
    start(new Fixture(newStore(), b -> b.clock(frozen)));
    for (int i = 2; i <= 25; i++) {
      f.incoming(inbox, "customer-" + i, "m-" + i, "hi");
    }
    assertThat(f.sb.conversations().list(id(), ConversationFilter.all(), null, 200).items())
        .extracting(Conversation::lastActivityAt).containsOnly(frozen.instant());

    assertPagesCoverEveryConversationOnce(25, 10);
  }

  @Test
  void pagingWithAFilterOnlyReturnsMatchingConversations() {
    List<Long> open = new ArrayList<>(List.of(conversation.id()));
    for (int i = 2; i <= 12; i++) {
      long c = conversationOf(f.incoming(inbox, "customer-" + i, "m-" + i, "hi")).id();
      if (i % 3 == 0) {
        changeStatus(c, ConversationStatus.RESOLVED);
      } else {
        open.add(c);
      }
    }
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    ConversationFilter filter = ConversationFilter.all().withStatuses(ConversationStatus.OPEN);
    do {
      Page<Conversation> page = f.sb.conversations().list(id(), filter, cursor, 3);
      page.items().forEach(c -> seen.add(c.id()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(open);
  }

  @Test
  void pagingAConversationsMessagesFiveAtATimeGoesBackInTimeWithoutOverlapOrGap() {
    long otherConversation = conversationOf(f.incoming(inbox, "customer-2", "o-0", "other")).id();
    List<Long> expected = new ArrayList<>(List.of(messages(conversation.id()).get(0).id()));
    for (int i = 1; i <= 22; i++) {
      Message m = i % 3 == 0
          ? f.incoming(inbox, "customer-1", "m-1-" + i, "again " + i)
          : f.sb.messages().note(id(), conversation.id(), "note " + i, anna);
      expected.add(m.id());
      f.incoming(inbox, "customer-2", "o-" + i, "other " + i);
    }
    assertThat(expected).hasSize(23);

    List<List<Message>> pages = new ArrayList<>();
    String cursor = null;
    do {
      Page<Message> page = f.sb.messages().list(id(), conversation.id(), cursor, 5);
      pages.add(page.items());
      cursor = page.nextCursor();
      if (pages.size() == 1) {
        // a message written meanwhile is newer than every page still to come
        f.sb.messages().note(id(), conversation.id(), "written while paging", anna);
      }
    } while (cursor != null);

    assertThat(pages).extracting(List::size).containsExactly(5, 5, 5, 5, 3);
    for (List<Message> page : pages) {
      assertThat(page).extracting(Message::id).isSorted();
      assertThat(page).extracting(Message::createdAt).isSorted();
      assertThat(page).allSatisfy(m -> {
        assertThat(m.conversationId()).isEqualTo(conversation.id());
        assertThat(m.accountId()).isEqualTo(id());
      });
    }
    for (int i = 1; i < pages.size(); i++) {
      assertThat(pages.get(i).get(pages.get(i).size() - 1).id())
          .as("page %d is older than page %d", i + 1, i).isLessThan(pages.get(i - 1).get(0).id());
    }
    List<Long> seen = new ArrayList<>();
    for (int i = pages.size() - 1; i >= 0; i--) {
      pages.get(i).forEach(m -> seen.add(m.id()));
    }
    assertThat(seen).as("every message once, oldest first").isEqualTo(expected);
    assertThat(messages(otherConversation)).hasSize(23);
  }

  @Test
  void aPageAsLargeAsTheConversationHasNoNextCursor() {
    f.sb.messages().note(id(), conversation.id(), "second", anna);

    Page<Message> page = f.sb.messages().list(id(), conversation.id(), null, 2);

    assertThat(page.items()).hasSize(2);
    assertThat(page.nextCursor()).isNull();
    assertThatThrownBy(() -> f.sb.messages().list(id() + 1000, conversation.id(), null, 2))
        .isInstanceOf(NotFoundException.class);
  }

  // ---------------------------------------------------------------- async delivery

  @Test
  void theAsyncListenerEventuallyGetsEveryEventTheSyncListenerGot() {
    changeStatus(conversation.id(), ConversationStatus.PENDING);
    changeStatus(conversation.id(), ConversationStatus.OPEN);
    f.sb.conversations().assign(id(), conversation.id(), bobUser.id(), anna);
    f.sb.conversations().assignTeam(id(), conversation.id(), support.id(), anna);
    f.sb.conversations().setPriority(id(), conversation.id(), Priority.LOW, anna);
    f.sb.conversations().addLabels(id(), conversation.id(), List.of("vip"), anna);
    f.sb.conversations().setCustomAttributes(id(), conversation.id(), Map.of("k", "v"), anna);
    changeStatus(conversation.id(), ConversationStatus.RESOLVED);
    List<Event> sync = List.copyOf(f.syncEvents);

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.asyncEvents.stream().map(Event::id).distinct().toList())
            .containsExactlyInAnyOrderElementsOf(sync.stream().map(Event::id).toList()));

    Map<String, Event> byId = new LinkedHashMap<>();
    f.asyncEvents.forEach(e -> byId.putIfAbsent(e.id(), e));
    for (Event s : sync) {
      Event a = byId.get(s.id());
      assertThat(a.type()).as("type of %s", s).isEqualTo(s.type());
      assertThat(a.sequence()).as("sequence of %s", s).isEqualTo(s.sequence());
      assertThat(a.accountId()).isEqualTo(s.accountId());
      assertThat(a.conversationId()).isEqualTo(s.conversationId());
      assertThat(a.changedAttributes()).as("changes of %s", s).isEqualTo(s.changedAttributes());
      assertThat(a.performer()).isEqualTo(s.performer());
      assertThat(a.occurredAt()).isEqualTo(s.occurredAt());
      assertThat(a.data()).as("data of %s", s).isEqualTo(s.data());
    }
  }
}
