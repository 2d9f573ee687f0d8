package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.ContactDraft;
import io.switchboard.ConversationFilter;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.Page;
import io.switchboard.RateLimitedException;
import io.switchboard.Switchboard;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The incoming pipeline: idempotency, concurrency and Chatwoot's conversation rules. */
abstract class IngestContract {
  Fixture f;
  FailingStore store;
  Account account;
  Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    store = new FailingStore(newStore());
    f = new Fixture(store);
    account = f.account("Acme");
    inbox = f.apiInbox(account.id());
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private List<Message> messagesOf(long conversationId) {
    return f.sb.messages().list(account.id(), conversationId, null, 200).items();
  }

  private List<Conversation> conversations() {
    return f.sb.conversations().list(account.id(), ConversationFilter.all(), null, 200).items();
  }

  @Test
  void theSameMessageDeliveredThreeTimesCreatesOneMessage() {
    Message first = f.incoming(inbox, "+4915100001", "wamid.1", "hello");
    Message second = f.incoming(inbox, "+4915100001", "wamid.1", "hello");
    Message third = f.incoming(inbox, "+4915100001", "wamid.1", "hello");

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(third.id()).isEqualTo(first.id());
    assertThat(messagesOf(first.conversationId())).hasSize(1);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
  }

  @Test
  void theSameMessageDeliveredEightTimesConcurrentlyCreatesOneMessage() throws Exception {
    List<Message> results = concurrently(8, i -> f.incoming(inbox, "+4915100002", "wamid.2", "hi"));

    assertThat(results.stream().map(Message::id).distinct()).hasSize(1);
    assertThat(conversations()).hasSize(1);
    assertThat(messagesOf(results.get(0).conversationId())).hasSize(1);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
  }

  @Test
  void sixteenConcurrentFirstMessagesOfANewContactCreateOneContactOneContactInboxOneConversation()
      throws Exception {
    List<Message> results = concurrently(16,
        i -> f.incoming(inbox, "+4915100003", "wamid.3." + i, "message " + i));

    assertThat(results.stream().map(Message::id).distinct()).hasSize(16);
    assertThat(results.stream().map(Message::conversationId).distinct()).hasSize(1);
    List<Conversation> conversations = conversations();
    assertThat(conversations).hasSize(1);
    long contactId = conversations.get(0).contactId();
    assertThat(f.sb.contacts().list(account.id(), null, 200).items()).hasSize(1);
    assertThat(f.sb.contacts().contactInboxes(account.id(), contactId)).hasSize(1);
    assertThat(messagesOf(conversations.get(0).id())).hasSize(16);
    assertThat(f.syncEvents(EventType.CONVERSATION_CREATED)).hasSize(1);
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
  }

  @Test
  void aNewContactStartsAnOpenConversationWithDisplayIdsCountingPerAccount() {
    Message a = f.incoming(inbox, "alice", "m-a", "hi");
    Message b = f.incoming(inbox, "bob", "m-b", "hi");
    Conversation ca = f.sb.conversations().get(account.id(), a.conversationId());
    Conversation cb = f.sb.conversations().get(account.id(), b.conversationId());

    assertThat(ca.status()).isEqualTo(ConversationStatus.OPEN);
    assertThat(List.of(ca.displayId(), cb.displayId())).containsExactly(1L, 2L);
    assertThat(ca.uuid()).isNotEqualTo(cb.uuid()).hasSize(36);
    assertThat(a.messageType()).isEqualTo(MessageType.INCOMING);
    assertThat(ca.waitingSince()).isEqualTo(a.createdAt());
    assertThat(ca.lastActivityAt()).isEqualTo(a.createdAt());
  }

  @Test
  void aMessageAfterResolutionStartsANewConversationUnlessLockedToASingleConversation() {
    Message first = f.incoming(inbox, "carol", "m-1", "hi");
    f.sb.conversations().changeStatus(account.id(), first.conversationId(),
        ConversationStatus.RESOLVED, null, Actor.system());
    Message second = f.incoming(inbox, "carol", "m-2", "again");
    assertThat(second.conversationId()).isNotEqualTo(first.conversationId());

    Inbox locked = f.apiInbox(account.id(), InboxDraft.of("Locked", ChannelType.API, Map.of())
        .withLockToSingleConversation(true));
    Message l1 = f.incoming(locked, "carol", "l-1", "hi");
    f.sb.conversations().changeStatus(account.id(), l1.conversationId(),
        ConversationStatus.RESOLVED, null, Actor.system());
    Message l2 = f.incoming(locked, "carol", "l-2", "again");
    assertThat(l2.conversationId()).isEqualTo(l1.conversationId());
    assertThat(f.sb.conversations().get(account.id(), l1.conversationId()).status())
        .isEqualTo(ConversationStatus.OPEN);
  }

  @Test
  void aSnoozedConversationReopensOnTheNextIncomingMessage() {
    Message first = f.incoming(inbox, "dave", "s-1", "hi");
    f.sb.conversations().changeStatus(account.id(), first.conversationId(),
        ConversationStatus.SNOOZED, Instant.parse("2099-01-01T00:00:00Z"), Actor.system());
    Message second = f.incoming(inbox, "dave", "s-2", "still there?");

    Conversation c = f.sb.conversations().get(account.id(), first.conversationId());
    assertThat(second.conversationId()).isEqualTo(first.conversationId());
    assertThat(c.status()).isEqualTo(ConversationStatus.OPEN);
    assertThat(c.snoozedUntil()).isNull();
    assertThat(f.syncEvents(EventType.CONVERSATION_OPENED)).isNotEmpty();
  }

  /**
   * Arms {@code agent} to run on another thread while the next message's transaction holds the
   * conversation it found, and gives it a second to finish there: a conversation left
   * unlocked lets it commit in between.
   */
  private Future<?> agentActsWhileTheNextMessageIsStored(ExecutorService pool, Runnable agent) {
    java.util.concurrent.CompletableFuture<Object> done = new java.util.concurrent.CompletableFuture<>();
    store.afterLatestConversation.set(() -> {
      Future<?> acting = pool.submit(agent);
      try {
        acting.get(1, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // waiting for this transaction's lock, as it should
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
      pool.submit(() -> {
        try {
          acting.get();
          done.complete(null);
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      });
    });
    return done;
  }

  @Test
  void anAgentReplyDuringAContactsMessageIsKeptAndFirstReplyCountedOnce() throws Exception {
    User anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    Message first = f.incoming(inbox, "hana", "h-1", "hello?");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Message[] reply = new Message[1];
      Future<?> agent = agentActsWhileTheNextMessageIsStored(pool, () -> reply[0] = f.sb
          .messages().reply(account.id(), first.conversationId(), MessageDraft.text("Hi Hana"),
              Actor.user(anna)));
      Message second = f.incoming(inbox, "hana", "h-2", "anyone there?");
      agent.get(20, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(second.conversationId()).isEqualTo(first.conversationId());
      Conversation c = f.sb.conversations().get(account.id(), first.conversationId());
      // the reply came after the contact's second message: nobody is waiting any more
      assertThat(c.firstReplyCreatedAt()).isEqualTo(reply[0].createdAt());
      assertThat(c.waitingSince()).isNull();
      assertThat(c.lastActivityAt()).isEqualTo(reply[0].createdAt());
      f.sb.messages().reply(account.id(), first.conversationId(), MessageDraft.text("Still here"),
          Actor.user(anna));
      assertThat(f.syncEvents(EventType.FIRST_REPLY_CREATED)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aPriorityChangedWhileAMessageReopensTheConversationIsKept() throws Exception {
    Message first = f.incoming(inbox, "ivan", "i-1", "hi");
    f.sb.conversations().changeStatus(account.id(), first.conversationId(),
        ConversationStatus.SNOOZED, null, Actor.system());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> agent = agentActsWhileTheNextMessageIsStored(pool, () -> f.sb.conversations()
          .setPriority(account.id(), first.conversationId(), io.switchboard.model.Priority.URGENT,
              Actor.system()));
      f.incoming(inbox, "ivan", "i-2", "back again");
      agent.get(20, java.util.concurrent.TimeUnit.SECONDS);

      Conversation c = f.sb.conversations().get(account.id(), first.conversationId());
      assertThat(c.status()).isEqualTo(ConversationStatus.OPEN);
      assertThat(c.priority()).isEqualTo(io.switchboard.model.Priority.URGENT);
      assertThat(f.syncEvents(EventType.CONVERSATION_OPENED)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anEchoOfTheBusinesssOwnMessageReopensNothing() {
    Inbox locked = f.apiInbox(account.id(), InboxDraft.of("Locked", ChannelType.API, Map.of())
        .withLockToSingleConversation(true));
    Message first = f.incoming(locked, "jules", "e-1", "hi");
    long id = first.conversationId();
    for (ConversationStatus status : List.of(ConversationStatus.SNOOZED,
        ConversationStatus.RESOLVED)) {
      f.sb.conversations().changeStatus(account.id(), id, status, null, Actor.system());
      Message echo = f.sb.incoming().receive(account.id(), locked.id(), new InboundMessage(
          "echo-" + status.wireName(), InboundContact.of("jules", "Customer jules"),
          "sent from the phone", null, Map.of(), List.of(), Map.of(), true, null));

      assertThat(echo.conversationId()).isEqualTo(id);
      assertThat(echo.messageType()).isEqualTo(MessageType.OUTGOING);
      assertThat(f.sb.conversations().get(account.id(), id).status()).isEqualTo(status);
    }
    // the contact's own message still reopens it
    f.incoming(locked, "jules", "e-2", "thanks");
    assertThat(f.sb.conversations().get(account.id(), id).status())
        .isEqualTo(ConversationStatus.OPEN);
  }

  @Test
  void aBlockedContactsMessagesAreStoredButReachNoOpenConversation() {
    Inbox greeting = f.apiInbox(account.id(), InboxDraft.of("Greeting", ChannelType.API, Map.of())
        .withGreetingMessage("Welcome!"));
    Message first = f.sb.incoming().receive(account.id(), greeting.id(), InboundMessage.text(
        "b-1", new InboundContact("mo", "Mo", null, "+4915199999", null, Map.of()), "hi"));
    Contact mo = f.sb.contacts().get(account.id(), first.senderId());
    f.sb.conversations().changeStatus(account.id(), first.conversationId(),
        ConversationStatus.RESOLVED, null, Actor.system());
    f.sb.contacts().update(account.id(), mo.id(), ContactDraft.empty().withBlocked(true),
        Actor.system());

    Message second = f.incoming(greeting, "mo", "b-2", "let me in");
    // stored in the latest conversation, which stays resolved
    assertThat(second.conversationId()).isEqualTo(first.conversationId());
    assertThat(f.sb.conversations().get(account.id(), first.conversationId()).status())
        .isEqualTo(ConversationStatus.RESOLVED);

    // a blocked contact's first conversation in another inbox starts resolved, ungreeted
    Inbox other = f.apiInbox(account.id(), InboxDraft.of("Other", ChannelType.API, Map.of())
        .withGreetingMessage("Welcome here too!"));
    Message elsewhere = f.sb.incoming().receive(account.id(), other.id(), InboundMessage.text(
        "b-3", new InboundContact("mo-api", "Mo", null, mo.phoneNumber(), null, Map.of()),
        "here too"));
    Conversation started = f.sb.conversations().get(account.id(), elsewhere.conversationId());
    assertThat(elsewhere.senderId()).isEqualTo(mo.id());
    assertThat(started.status()).isEqualTo(ConversationStatus.RESOLVED);
    assertThat(messagesOf(started.id())).extracting(Message::content).containsExactly("here too");
    assertThat(f.syncEvents(EventType.CONVERSATION_OPENED)).isEmpty();
  }

  @Test
  void inABotInboxASnoozedConversationReopensOpenAndAResolvedOnePending() {
    Inbox bot = f.apiInbox(account.id(), InboxDraft.of("Bot", ChannelType.API, Map.of())
        .withBotEnabled(true).withLockToSingleConversation(true));
    Message first = f.incoming(bot, "kim", "k-1", "hi");
    long id = first.conversationId();
    f.sb.conversations().changeStatus(account.id(), id, ConversationStatus.SNOOZED, null,
        Actor.system());
    f.incoming(bot, "kim", "k-2", "hello again");
    assertThat(f.sb.conversations().get(account.id(), id).status())
        .isEqualTo(ConversationStatus.OPEN);

    f.sb.conversations().changeStatus(account.id(), id, ConversationStatus.RESOLVED, null,
        Actor.system());
    f.incoming(bot, "kim", "k-3", "one more thing");
    assertThat(f.sb.conversations().get(account.id(), id).status())
        .isEqualTo(ConversationStatus.PENDING);
  }

  @Test
  void theProvidersSendingTimeIsKeptBesideTheTimeTheMessageWasStored() {
    Instant sent = Instant.parse("2026-01-02T03:04:05Z");
    Message m = f.sb.incoming().receive(account.id(), inbox.id(), new InboundMessage("t-1",
        InboundContact.of("lena", "Lena"), "sent a while ago", null, Map.of(), List.of(),
        Map.of(), false, sent));

    assertThat(m.contentAttributes()).containsEntry("external_created_at",
        "2026-01-02T03:04:05Z");
    assertThat(m.createdAt()).isAfter(sent);
    assertThat(f.incoming(inbox, "lena", "t-2", "now").contentAttributes())
        .doesNotContainKey("external_created_at");
  }

  @Test
  void aBotInboxStartsConversationsPending() {
    Inbox bot = f.apiInbox(account.id(), InboxDraft.of("Bot", ChannelType.API, Map.of())
        .withBotEnabled(true));
    Message m = f.incoming(bot, "erin", "b-1", "hi");
    assertThat(f.sb.conversations().get(account.id(), m.conversationId()).status())
        .isEqualTo(ConversationStatus.PENDING);
  }

  @Test
  void anAgentReplySetsFirstReplyAndClearsWaitingSince() {
    User anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    Message in = f.incoming(inbox, "frank", "f-1", "help");
    assertThat(f.sb.conversations().get(account.id(), in.conversationId()).waitingSince()).isNotNull();

    Message reply = f.sb.messages().reply(account.id(), in.conversationId(),
        MessageDraft.text("Hi {{contact.name}}, this is {{agent.name}}"), Actor.user(anna));

    Conversation c = f.sb.conversations().get(account.id(), in.conversationId());
    assertThat(reply.content()).isEqualTo("Hi Customer frank, this is Anna");
    assertThat(c.waitingSince()).isNull();
    assertThat(c.firstReplyCreatedAt()).isEqualTo(reply.createdAt());
    assertThat(f.syncEvents(EventType.FIRST_REPLY_CREATED)).hasSize(1);

    f.sb.messages().reply(account.id(), in.conversationId(), MessageDraft.text("more"),
        Actor.user(anna));
    assertThat(f.syncEvents(EventType.FIRST_REPLY_CREATED)).hasSize(1);
  }

  @Test
  void aMessageWritesOnlyTheActivityColumnsSoAConcurrentChangeIsKept() {
    User anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    Message first = f.incoming(inbox, "gina", "g-1", "hi");
    // what a message's transaction read, before an agent changed the rows
    Conversation stale = f.sb.conversations().get(account.id(), first.conversationId());
    Contact staleContact = f.sb.contacts().get(account.id(), first.senderId());
    f.sb.conversations().assign(account.id(), stale.id(), anna.id(), Actor.user(anna));
    f.sb.contacts().update(account.id(), staleContact.id(),
        ContactDraft.empty().withName("Gina Rossi"), Actor.user(anna));

    Instant later = stale.lastActivityAt().plusSeconds(60);
    store.inTransaction(tx -> {
      tx.updateConversationActivity(stale.toBuilder().lastActivityAt(later).waitingSince(later)
          .firstReplyCreatedAt(later).updatedAt(later).build());
      tx.touchContact(staleContact, later);
      return null;
    });

    Conversation c = f.sb.conversations().get(account.id(), stale.id());
    assertThat(c.assigneeId()).isEqualTo(anna.id());
    assertThat(List.of(c.lastActivityAt(), c.waitingSince(), c.firstReplyCreatedAt(),
        c.updatedAt())).containsOnly(later);
    Contact contact = f.sb.contacts().get(account.id(), staleContact.id());
    assertThat(contact.name()).isEqualTo("Gina Rossi");
    assertThat(contact.lastActivityAt()).isEqualTo(later);
  }

  @Test
  void aReplyReferenceToAProviderIdResolvesToTheStoredMessage() {
    Message original = f.incoming(inbox, "gina", "orig-1", "question");
    Message answer = f.sb.incoming().receive(account.id(), inbox.id(), new InboundMessage("orig-2",
        InboundContact.of("gina", "Gina"), "follow-up", null,
        Map.of("in_reply_to_external_id", "orig-1"), List.of(), Map.of(), false, null));
    assertThat(answer.contentAttributes()).containsEntry("in_reply_to", original.id());
    // read back from the store, the id is still a long
    assertThat(f.sb.messages().get(account.id(), answer.id()).contentAttributes())
        .containsEntry("in_reply_to", original.id());
  }

  @Test
  void anIncomingMessageMatchesAnExistingContactByEmail() {
    var existing = f.sb.contacts().create(account.id(),
        io.switchboard.ContactDraft.empty().withEmail("Hana@Example.test").withName("Hana"),
        Actor.system());
    Message m = f.sb.incoming().receive(account.id(), inbox.id(), new InboundMessage("h-1",
        new InboundContact("api-hana", "Hana", "hana@example.test", null, null, Map.of()),
        "hello", null, Map.of(), List.of(), Map.of(), false, null));
    Conversation c = f.sb.conversations().get(account.id(), m.conversationId());
    assertThat(c.contactId()).isEqualTo(existing.id());
  }

  @Test
  void anIncomingMessageMatchesAnExistingContactByIdentifierBeforeEmail() {
    var byIdentifier = f.sb.contacts().create(account.id(),
        ContactDraft.empty().withIdentifier("user-7").withName("Ivo"), Actor.system());
    var byEmail = f.sb.contacts().create(account.id(),
        ContactDraft.empty().withEmail("ivo@example.test").withName("Ivo by mail"), Actor.system());
    Inbox second = f.apiInbox(account.id(), InboxDraft.of("Second", ChannelType.API, Map.of()));

    Message m = f.sb.incoming().receive(account.id(), inbox.id(), InboundMessage.text("i-1",
        new InboundContact("api-ivo", "Ivo", "ivo@example.test", null, "user-7", Map.of()), "hi"));
    Message other = f.sb.incoming().receive(account.id(), second.id(), InboundMessage.text("i-2",
        new InboundContact("elsewhere-ivo", "Ivo", null, null, "user-7", Map.of()), "hi"));

    long contactId = f.sb.conversations().get(account.id(), m.conversationId()).contactId();
    assertThat(contactId).isEqualTo(byIdentifier.id()).isNotEqualTo(byEmail.id());
    assertThat(f.sb.conversations().get(account.id(), other.conversationId()).contactId())
        .isEqualTo(byIdentifier.id());
    assertThat(f.sb.contacts().contactInboxes(account.id(), contactId))
        .extracting(ContactInbox::sourceId).containsExactlyInAnyOrder("api-ivo", "elsewhere-ivo");
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).as("no contact created by ingest")
        .hasSize(2);
  }

  @Test
  void aMessageByIdentifierAloneGoesToThatContactThroughOneContactInboxWithARandomSourceId() {
    var known = f.sb.contacts().create(account.id(),
        ContactDraft.empty().withIdentifier("user-8").withName("Jo"), Actor.system());
    int contactsCreated = f.syncEvents(EventType.CONTACT_CREATED).size();

    Message first = f.sb.incoming().receive(account.id(), inbox.id(),
        InboundMessage.text("j-1", InboundContact.byIdentifier("user-8", "Jo"), "hi"));
    Message second = f.sb.incoming().receive(account.id(), inbox.id(),
        InboundMessage.text("j-2", InboundContact.byIdentifier("user-8", "Jo"), "again"));

    Conversation c = f.sb.conversations().get(account.id(), first.conversationId());
    assertThat(c.contactId()).isEqualTo(known.id());
    assertThat(second.conversationId()).isEqualTo(first.conversationId());
    List<ContactInbox> identities = f.sb.contacts().contactInboxes(account.id(), known.id());
    assertThat(identities).singleElement().satisfies(ci -> {
      assertThat(ci.inboxId()).isEqualTo(inbox.id());
      assertThat(ci.id()).isEqualTo(c.contactInboxId());
      assertThat(java.util.UUID.fromString(ci.sourceId()).version()).isEqualTo(4);
    });
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(contactsCreated);

    // the generated source id reaches the same contact inbox
    Message bySourceId = f.incoming(inbox, identities.get(0).sourceId(), "j-3", "third");
    assertThat(bySourceId.conversationId()).isEqualTo(first.conversationId());
  }

  @Test
  void aMessageByIdentifierAloneUsesTheContactInboxTheContactAlreadyHasInTheInbox() {
    Message bySource = f.sb.incoming().receive(account.id(), inbox.id(), InboundMessage.text("k-1",
        new InboundContact("api-kim", "Kim", null, null, "user-9", Map.of()), "hi"));

    Message byIdentifier = f.sb.incoming().receive(account.id(), inbox.id(),
        InboundMessage.text("k-2", InboundContact.byIdentifier("user-9", "Kim"), "again"));

    assertThat(byIdentifier.conversationId()).isEqualTo(bySource.conversationId());
    long contactId = f.sb.conversations().get(account.id(), bySource.conversationId()).contactId();
    assertThat(f.sb.contacts().contactInboxes(account.id(), contactId))
        .extracting(ContactInbox::sourceId).containsExactly("api-kim");
  }

  @Test
  void concurrentFirstMessagesByAnUnknownIdentifierCreateOneContactOneContactInboxOneConversation()
      throws Exception {
    List<Message> results = concurrently(8, i -> f.sb.incoming().receive(account.id(),
        inbox.id(), InboundMessage.text("n-" + i, InboundContact.byIdentifier("user-new", "Nia"),
            "message " + i)));

    assertThat(results.stream().map(Message::conversationId).distinct()).hasSize(1);
    Conversation c = conversations().get(0);
    assertThat(conversations()).hasSize(1);
    Contact contact = f.sb.contacts().get(account.id(), c.contactId());
    assertThat(contact.identifier()).isEqualTo("user-new");
    assertThat(contact.name()).isEqualTo("Nia");
    assertThat(f.sb.contacts().contactInboxes(account.id(), contact.id())).hasSize(1);
    assertThat(messagesOf(c.id())).hasSize(8);
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
  }

  @Test
  void concurrentFirstMessagesByAKnownIdentifierCreateOneContactInbox() throws Exception {
    var known = f.sb.contacts().create(account.id(),
        ContactDraft.empty().withIdentifier("user-10").withName("Lu"), Actor.system());

    List<Message> results = concurrently(8, i -> f.sb.incoming().receive(account.id(),
        inbox.id(), InboundMessage.text("l-" + i, InboundContact.byIdentifier("user-10", "Lu"),
            "message " + i)));

    assertThat(results.stream().map(Message::conversationId).distinct()).hasSize(1);
    assertThat(f.sb.contacts().contactInboxes(account.id(), known.id())).hasSize(1);
  }

  @Test
  void anIdentifierIsOnlyMatchedInTheInboxsAccount() {
    var theirs = f.sb.contacts().create(account.id(),
        ContactDraft.empty().withIdentifier("user-11").withName("Mo"), Actor.system());
    Account other = f.account("Other");
    Inbox otherInbox = f.apiInbox(other.id());

    Message m = f.sb.incoming().receive(other.id(), otherInbox.id(),
        InboundMessage.text("m-1", InboundContact.byIdentifier("user-11", "Mo"), "hi"));

    Contact created = f.sb.contacts().get(other.id(),
        f.sb.conversations().get(other.id(), m.conversationId()).contactId());
    assertThat(created.id()).isNotEqualTo(theirs.id());
    assertThat(created.accountId()).isEqualTo(other.id());
    assertThat(f.sb.contacts().contactInboxes(account.id(), theirs.id())).isEmpty();
  }

  /** Starts again on a new store with a customised builder. */
  private void restart(Consumer<Switchboard.Builder> customize) {
    f.close();
    f = new Fixture(newStore(), customize);
    account = f.account("Acme");
    inbox = f.apiInbox(account.id());
  }

  private Message receive(String contact, String messageId, String text) {
    return f.sb.incoming().receive(account.id(), inbox.id(),
        InboundMessage.text(messageId, InboundContact.of(contact, "Customer"), text));
  }

  private int messageCount() {
    int count = 0;
    for (Conversation c : conversations()) {
      String cursor = null;
      do {
        Page<Message> page = f.sb.messages().list(account.id(), c.id(), cursor, 100);
        count += page.items().size();
        cursor = page.nextCursor();
      } while (cursor != null);
    }
    return count;
  }

  @Test
  void receivedContentOverTheLimitAndASixteenthAttachmentAreRefusedAndNothingIsStored() {
    int eventsBefore = f.syncEvents.size();
    String tooLong = "x".repeat(Message.MAX_CONTENT_LENGTH + 1);
    assertThatThrownBy(() -> receive("olga", "o-1", tooLong))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("content");
          assertThat(e.getMessage()).contains("150001").contains("150000");
        });
    List<Attachment> files = new ArrayList<>();
    for (int i = 0; i < Message.MAX_ATTACHMENTS + 1; i++) {
      files.add(Attachment.of(AttachmentType.FILE, "https://files.test/" + i + ".pdf",
          i + ".pdf", "application/pdf"));
    }
    assertThatThrownBy(() -> f.sb.incoming().receive(account.id(), inbox.id(),
        new InboundMessage("o-2", InboundContact.of("olga", "Olga"), "files", null, Map.of(),
            files, Map.of(), false, null)))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("attachments");
          assertThat(e.getMessage()).contains("16").contains("15");
        });
    assertThat(conversations()).isEmpty();
    assertThat(f.sb.contacts().list(account.id(), null, 10).items()).isEmpty();
    assertThat(f.syncEvents).hasSize(eventsBefore);

    // at the limits both are accepted
    Message atLimit = f.sb.incoming().receive(account.id(), inbox.id(), new InboundMessage("o-3",
        InboundContact.of("olga", "Olga"), "x".repeat(Message.MAX_CONTENT_LENGTH), null,
        Map.of(), files.subList(0, Message.MAX_ATTACHMENTS), Map.of(), false, null));
    assertThat(f.sb.messages().get(account.id(), atLimit.id()).attachments())
        .hasSize(Message.MAX_ATTACHMENTS);
  }

  @Test
  void aMessageAtTheContentLimitsWhoseJsonIsOverAMillionCharactersIsStoredWithItsEvent() {
    InboundMessage large = Fixture.largeEmail("<large@mail.test>");
    Message stored = f.sb.incoming().receive(account.id(), inbox.id(), large);

    f.assertStoredWithItsEvent(large, stored);
  }

  @Test
  void providerIdsOfNineHundredNinetyEightCharactersAreStoredOnceAndFoundAgain() {
    // an email's Message-ID and sender may each fill a header line of 998 characters
    String messageId = "<" + "m".repeat(986) + "@mail.test>";
    String contactId = "c".repeat(998);
    String partId = "p".repeat(998);
    assertThat(messageId).hasSize(998);
    for (int delivery = 0; delivery < 2; delivery++) {
      f.sb.incoming().ingest(ChannelType.API, "test", "{}".getBytes(StandardCharsets.UTF_8),
          List.of(RoutedEvent.of(inbox, InboundMessage.text(messageId,
              InboundContact.of(contactId, "Long"), "hello"))));
    }

    assertThat(messageCount()).isEqualTo(1);
    Conversation c = conversations().get(0);
    Message stored = messagesOf(c.id()).get(0);
    assertThat(stored.sourceId()).isEqualTo(messageId);
    assertThat(f.sb.contacts().contactInboxes(account.id(), c.contactId()))
        .singleElement().satisfies(ci -> assertThat(ci.sourceId()).isEqualTo(contactId));
    store.inTransaction(tx -> {
      tx.insertMessagePartSourceIds(account.id(), inbox.id(), stored.id(), List.of(partId));
      return null;
    });
    Optional<Message> byPart =
        store.read(tx -> tx.findMessageByPartSourceId(account.id(), inbox.id(), partId));
    assertThat(byPart.map(Message::id)).contains(stored.id());
  }

  @Test
  void theTwoHundredAndFirstReceivedMessageOfAConversationWithinAMinuteIsRefused() {
    // a clock that stands still: the 200 messages are within a minute however slow the run
    restart(b -> b.clock(new MutableClock()));
    for (int i = 1; i <= 200; i++) {
      receive("pia", "p-" + i, "message " + i);
    }

    assertThatThrownBy(() -> receive("pia", "p-201", "one too many"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.limit()).isEqualTo(200);
          assertThat(e.conversationId()).isEqualTo(conversations().get(0).id());
        });
    assertThat(messageCount()).isEqualTo(200);
  }

  @Test
  void aCustomFloodLimitRefusesReceivedMessagesUntilAMinuteHasPassedButNeverARedelivery() {
    MutableClock clock = new MutableClock();
    restart(b -> b.floodLimit(3).clock(clock));
    Message first = receive("quinn", "q-1", "one");
    receive("quinn", "q-2", "two");
    receive("quinn", "q-3", "three");

    assertThatThrownBy(() -> receive("quinn", "q-4", "four"))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.limit()).isEqualTo(3);
          assertThat(e.conversationId()).isEqualTo(first.conversationId());
        });
    assertThat(receive("quinn", "q-1", "one").id()).as("a redelivery returns the stored message")
        .isEqualTo(first.id());
    assertThat(messageCount()).isEqualTo(3);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(3);

    // messages that arrive by webhook or polling were acknowledged already: never refused
    f.sb.incoming().ingest(ChannelType.API, "test", "{}".getBytes(StandardCharsets.UTF_8),
        List.of(RoutedEvent.of(inbox, InboundMessage.text("q-5",
            InboundContact.of("quinn", "Quinn"), "by webhook"))));
    assertThat(messageCount()).isEqualTo(4);

    clock.advance(Duration.ofSeconds(61));
    assertThat(receive("quinn", "q-4", "four").conversationId()).isEqualTo(first.conversationId());
    assertThat(messageCount()).isEqualTo(5);
  }

  @Test
  void aFloodLimitOfZeroTurnsTheLimitOff() {
    restart(b -> b.floodLimit(0));

    for (int i = 1; i <= 201; i++) {
      receive("rita", "r-" + i, "message " + i);
    }
    f.sb.messages().note(account.id(), conversations().get(0).id(), "and a note",
        Actor.system());

    assertThat(messageCount()).isEqualTo(202);
  }

  interface IndexedCall<T> {
    T call(int index) throws Exception;
  }

  /** Runs {@code n} calls at the same moment on {@code n} threads. */
  static <T> List<T> concurrently(int n, IndexedCall<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit((Callable<T>) () -> {
          start.await();
          return call.call(index);
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static Set<Long> ids(List<Message> messages) {
    Set<Long> ids = new HashSet<>();
    messages.forEach(m -> ids.add(m.id()));
    return ids;
  }
}
