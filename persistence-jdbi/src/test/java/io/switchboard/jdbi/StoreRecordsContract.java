package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContactType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Priority;
import io.switchboard.store.EventRecord;
import io.switchboard.store.RoutedInbox;
import io.switchboard.store.Store;
import io.switchboard.webhook.AgentBot;
import io.switchboard.webhook.Webhook;
import io.switchboard.webhook.WebhookEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store's inserts return, without reading the row back, is what a read returns; a
 * contact inbox found and locked by its source id is the one a find returns; a routed inbox
 * carries whether its events have webhook targets; events appended in a batch get their
 * sequences in order.
 */
abstract class StoreRecordsContract {
  private static final Instant NOW = Instant.parse("2026-11-25T08:00:00.123Z");
  private Store store;
  private Account account;
  private Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void open() {
    store = newStore();
    account = store.inTransaction(tx -> tx.insertAccount(new Account(0, "Acme", "en", NOW)));
    inbox = store.inTransaction(tx -> tx.insertInbox(new Inbox(0, account.id(), "API",
        ChannelType.API, "rk-" + System.nanoTime(), Map.of(), false, false, false, null, false,
        NOW, NOW)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ContactInbox visitor(String sourceId) {
    Contact contact = store.inTransaction(tx -> tx.insertContact(new Contact(0, account.id(),
        "Ana", null, null, null, ContactType.VISITOR, Map.of(), Map.of(), false, null, NOW, NOW)));
    return store.inTransaction(tx -> tx.insertContactInbox(new ContactInbox(0, account.id(),
        contact.id(), inbox.id(), sourceId, "token-" + System.nanoTime(), false, NOW)));
  }

  @Test
  void anInsertedContactIsWhatAReadReturnsWithWholeNumbersAsLong() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("visits", 3);
    attributes.put("tags", List.of("a", 2));
    attributes.put("nested", Map.of("n", 1));
    Contact inserted = store.inTransaction(tx -> tx.insertContact(new Contact(0, account.id(),
        "Ana", "ana@example.test", "+15550001", "crm-1", ContactType.LEAD, attributes,
        Map.of("plan", "gold"), false, NOW, NOW, NOW)));

    Optional<Contact> read = store.read(tx -> tx.findContact(account.id(), inserted.id()));

    assertThat(inserted.id()).isPositive();
    assertThat(read).contains(inserted);
    assertThat(inserted.additionalAttributes().get("visits")).isEqualTo(3L);
  }

  @Test
  void anInsertedConversationIsWhatAReadReturnsWithItsLabels() {
    ContactInbox ci = visitor("src-1");
    for (List<String> labels : List.of(List.<String>of(), List.of("billing", "vip"))) {
      Conversation inserted = store.inTransaction(tx -> tx.insertConversation(new Conversation(0,
          account.id(), inbox.id(), ci.contactId(), ci.id(), "uuid-" + System.nanoTime(),
          tx.nextDisplayId(account.id()), ConversationStatus.OPEN, Priority.HIGH, null, null,
          labels, null, NOW, null, NOW, Map.of("browser", "x", "count", 1), Map.of(), NOW,
          NOW)));

      Optional<Conversation> read = store.read(tx ->
          tx.findConversation(account.id(), inserted.id()));

      assertThat(read).contains(inserted);
      assertThat(inserted.labels()).isEqualTo(labels);
      assertThat(inserted.additionalAttributes().get("count")).isEqualTo(1L);
    }
  }

  @Test
  void aContactInboxLockedBySourceIdIsTheOneAFindReturns() {
    ContactInbox ci = visitor("src-9");

    Optional<ContactInbox> locked = store.inTransaction(tx ->
        tx.lockContactInboxBySourceId(account.id(), inbox.id(), "src-9"));
    Optional<ContactInbox> otherSource = store.inTransaction(tx ->
        tx.lockContactInboxBySourceId(account.id(), inbox.id(), "src-other"));
    Optional<ContactInbox> otherAccount = store.inTransaction(tx ->
        tx.lockContactInboxBySourceId(account.id() + 1, inbox.id(), "src-9"));

    assertThat(locked).contains(ci);
    assertThat(otherSource).isEmpty();
    assertThat(otherAccount).isEmpty();
  }

  @Test
  void aContactInboxLockedBySourceIdStaysLockedUntilItsTransactionEnds() throws Exception {
    ContactInbox ci = visitor("src-lock");
    assertLockedUntilTheTransactionEnds(ci, tx ->
        tx.lockContactInboxBySourceId(account.id(), inbox.id(), "src-lock").orElseThrow());
  }

  /**
   * While a transaction that ran {@code lock} is open, another transaction's lock of the
   * contact inbox waits for it, however long it stays open, and gets the row once it ends.
   */
  private void assertLockedUntilTheTransactionEnds(ContactInbox ci,
      java.util.function.Consumer<io.switchboard.store.StoreTx> lock) throws Exception {
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<?> first = pool.submit(() -> store.inTransaction(tx -> {
        lock.accept(tx);
        held.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return null;
      }));
      if (!held.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
        first.get(1, java.util.concurrent.TimeUnit.SECONDS); // shows why the lock failed
      }
      java.util.concurrent.Future<Optional<ContactInbox>> second = pool.submit(() ->
          store.inTransaction(tx ->
              tx.lockContactInboxBySourceId(account.id(), inbox.id(), ci.sourceId())));

      assertThatThrownBy(() -> second.get(500, java.util.concurrent.TimeUnit.MILLISECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
      release.countDown();
      first.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).contains(ci);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private Conversation conversation(ContactInbox ci, ConversationStatus status) {
    return store.inTransaction(tx -> tx.insertConversation(new Conversation(0, account.id(),
        inbox.id(), ci.contactId(), ci.id(), "uuid-" + System.nanoTime(),
        tx.nextDisplayId(account.id()), status, Priority.LOW, null, null, List.of(), null, NOW,
        null, NOW, Map.of(), Map.of(), NOW, NOW)));
  }

  @Test
  void batchReadsAnswerWhatTheLookupsOfOneKeyAnswer() {
    ContactInbox a = visitor("batch-a");
    ContactInbox b = visitor("batch-b");
    ContactInbox c = visitor("batch-c");
    Conversation aOpen = conversation(a, ConversationStatus.OPEN);
    Conversation aResolved = conversation(a, ConversationStatus.RESOLVED);
    Conversation cPending = conversation(c, ConversationStatus.PENDING);
    store.inTransaction(tx -> tx.insertMessage(new io.switchboard.model.Message(0, account.id(),
        inbox.id(), aOpen.id(), io.switchboard.model.MessageType.INCOMING,
        io.switchboard.model.ContentType.TEXT, "hi", Map.of(), false,
        io.switchboard.model.MessageStatus.SENT, "wamid-seen",
        io.switchboard.model.SenderType.CONTACT, a.contactId(), List.of(), NOW, NOW)));
    List<String> senders = List.of("batch-a", "batch-b", "batch-c", "batch-new");
    List<Long> contactInboxes = List.of(a.id(), b.id(), c.id());
    List<Long> contacts = List.of(a.contactId(), b.contactId(), c.contactId(), 999_999L);

    store.inTransaction(tx -> {
      var locked = tx.lockContactInboxesBySourceIds(account.id(), inbox.id(), senders);
      var seen = tx.findMessageSourceIds(account.id(), inbox.id(),
          List.of("wamid-seen", "wamid-new"));
      var people = tx.findContacts(account.id(), contacts);
      var open = tx.lockLatestConversations(account.id(), contactInboxes, false);
      var any = tx.lockLatestConversations(account.id(), contactInboxes, true);
      var otherAccount = tx.lockContactInboxesBySourceIds(account.id() + 1, inbox.id(), senders);
      if (!(store instanceof JdbiStore jdbi)
          || jdbi.dialect() != JdbiStore.Dialect.POSTGRESQL) {
        // H2 runs in this JVM: no round trips to save, so no batch reads
        assertThat(List.of(locked, seen, people, open, any)).allMatch(Optional::isEmpty);
        return null;
      }
      assertThat(locked.orElseThrow()).isEqualTo(Map.of("batch-a", a, "batch-b", b,
          "batch-c", c));
      for (String sender : senders) {
        assertThat(Optional.ofNullable(locked.get().get(sender))).isEqualTo(
            tx.lockContactInboxBySourceId(account.id(), inbox.id(), sender));
      }
      assertThat(seen.orElseThrow()).containsExactly("wamid-seen");
      assertThat(people.orElseThrow()).containsOnlyKeys(a.contactId(), b.contactId(),
          c.contactId());
      for (long id : contacts) {
        assertThat(Optional.ofNullable(people.get().get(id)))
            .isEqualTo(tx.findContact(account.id(), id));
      }
      assertThat(open.orElseThrow()).isEqualTo(Map.of(a.id(), aOpen, c.id(), cPending));
      assertThat(any.orElseThrow()).isEqualTo(Map.of(a.id(), aResolved, c.id(), cPending));
      for (long id : contactInboxes) {
        assertThat(Optional.ofNullable(open.get().get(id)))
            .isEqualTo(tx.lockLatestConversation(account.id(), id, false));
      }
      assertThat(otherAccount.orElseThrow()).isEmpty();
      return null;
    });
  }

  @Test
  void contactInboxesLockedInABatchStayLockedUntilTheTransactionEnds() throws Exception {
    if (!(store instanceof JdbiStore jdbi) || jdbi.dialect() != JdbiStore.Dialect.POSTGRESQL) {
      return; // H2 answers no batch reads (see above)
    }
    ContactInbox ci = visitor("batch-lock");
    assertLockedUntilTheTransactionEnds(ci, tx ->
        assertThat(tx.lockContactInboxesBySourceIds(account.id(), inbox.id(),
            List.of("batch-lock", "batch-none")).orElseThrow()).containsOnlyKeys("batch-lock"));
  }

  @Test
  void aRoutedInboxSaysWhetherItsAccountHasAWebhookAndItsInboxABot() {
    Inbox other = store.inTransaction(tx -> tx.insertInbox(new Inbox(0, account.id(), "Other",
        ChannelType.API, "rk-other-" + System.nanoTime(), Map.of(), false, false, false, null,
        false, NOW, NOW)));
    assertThat(route(inbox)).isEqualTo(new RoutedInbox(inbox, false, false));

    store.inTransaction(tx -> tx.insertAgentBot(new AgentBot(0, account.id(), other.id(), "Bot",
        null, "faq", NOW), null));
    assertThat(route(inbox)).isEqualTo(new RoutedInbox(inbox, false, false));
    assertThat(route(other)).isEqualTo(new RoutedInbox(other, false, true));

    store.inTransaction(tx -> tx.insertWebhook(new Webhook(0, account.id(),
        "https://hooks.example.test/x", Set.of(WebhookEvent.MESSAGE_CREATED), true, 0, NOW, NOW),
        "whsec-0123456789abcdef"));
    assertThat(route(inbox)).isEqualTo(new RoutedInbox(inbox, true, false));
    assertThat(route(other)).isEqualTo(new RoutedInbox(other, true, true));
  }

  private RoutedInbox route(Inbox i) {
    return store.read(tx -> tx.findRoutedInbox(i.channelType(), i.routingKey())).orElseThrow();
  }

  @Test
  void eventsAppendedInOneBatchGetIncreasingSequencesInTheirOrder() {
    List<EventRecord> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // as in a real batch, events of the account (no inbox) and of a conversation mixed
      batch.add(new EventRecord(0, "ev-" + i + "-" + System.nanoTime(), account.id(),
          i % 2 == 0 ? "contact.created" : "message.created", i % 2 == 0 ? null : inbox.id(),
          i % 2 == 0 ? null : 40L + i, "{\"n\":" + i + "}", NOW));
    }
    long[] sequences = store.inTransaction(tx -> tx.appendEvents(batch));

    assertThat(sequences).hasSize(5);
    for (int i = 0; i < 5; i++) {
      long sequence = sequences[i];
      EventRecord read = store.read(tx -> tx.findEvent(sequence)).orElseThrow();
      assertThat(read.id()).isEqualTo(batch.get(i).id());
      assertThat(read.payload()).isEqualTo("{\"n\":" + i + "}");
      assertThat(read.inboxId()).isEqualTo(batch.get(i).inboxId());
      assertThat(read.conversationId()).isEqualTo(batch.get(i).conversationId());
      if (i > 0) {
        assertThat(sequence).isGreaterThan(sequences[i - 1]);
      }
    }
  }
}
