package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.ConflictException;
import io.switchboard.ContactDraft;
import io.switchboard.MessageDraft;
import io.switchboard.Page;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContactType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.Role;
import io.switchboard.model.SenderType;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contacts: create, uniqueness, update events, identify-and-merge, pagination. */
abstract class ContactsContract {
  Fixture f;
  Account account;
  Inbox inbox;
  Actor anna;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    f = new Fixture(newStore(), b -> b.channel(new TestChannel()));
    account = f.account("Acme");
    inbox = f.apiInbox(account.id());
    User user = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    anna = Actor.user(user);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private long id() {
    return account.id();
  }

  private Contact create(ContactDraft draft) {
    return f.sb.contacts().create(id(), draft, anna);
  }

  /** A visitor who wrote twice through the API inbox: its contact, conversation, messages. */
  private Message visitorWrites(String sourceId, String messageId) {
    return f.incoming(inbox, sourceId, messageId, "hello from " + sourceId);
  }

  private Contact contactOf(Message m) {
    Conversation c = f.sb.conversations().get(id(), m.conversationId());
    return f.sb.contacts().get(id(), c.contactId());
  }

  @Test
  void creatingAContactStoresItAndEmitsContactCreated() {
    Contact created = create(ContactDraft.empty().withName("Hana").withEmail(" Hana@Example.TEST ")
        .withPhoneNumber("+4915100001").withCustomAttributes(Map.of("plan", "gold")));

    assertThat(created.id()).isPositive();
    assertThat(created.email()).isEqualTo("hana@example.test");
    assertThat(created.contactType()).isEqualTo(ContactType.LEAD);
    assertThat(f.sb.contacts().get(id(), created.id())).isEqualTo(created);
    List<Event> events = f.syncEvents(EventType.CONTACT_CREATED);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).contact()).isEqualTo(created);
    assertThat(events.get(0).accountId()).isEqualTo(id());
    assertThat(events.get(0).performer()).isEqualTo(anna);
  }

  @Test
  void aContactWithoutEmailOrPhoneIsAVisitor() {
    Contact created = create(ContactDraft.empty().withName("Anonymous"));
    assertThat(created.contactType()).isEqualTo(ContactType.VISITOR);
  }

  @Test
  void aDuplicateEmailInAnotherCaseIsAConflict() {
    Contact first = create(ContactDraft.empty().withName("Hana").withEmail("Hana@Example.test"));

    assertThatThrownBy(() -> create(ContactDraft.empty().withName("Other")
        .withEmail("hana@EXAMPLE.test"))).isInstanceOf(ConflictException.class);

    Contact second = create(ContactDraft.empty().withName("Second").withEmail("second@example.test"));
    assertThatThrownBy(() -> f.sb.contacts().update(id(), second.id(),
        ContactDraft.empty().withEmail("HANA@example.test"), anna))
        .isInstanceOf(ConflictException.class);
    assertThat(f.sb.contacts().get(id(), second.id()).email()).isEqualTo("second@example.test");
    assertThat(f.sb.contacts().list(id(), null, 200).items()).extracting(Contact::id)
        .containsExactly(first.id(), second.id());
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(2);
    assertThat(f.syncEvents(EventType.CONTACT_UPDATED)).isEmpty();
  }

  @Test
  void aDuplicateIdentifierIsAConflict() {
    Contact first = create(ContactDraft.empty().withName("Ida").withIdentifier("user-1"));

    assertThatThrownBy(() -> create(ContactDraft.empty().withName("Other").withIdentifier("user-1")))
        .isInstanceOf(ConflictException.class);
    Contact second = create(ContactDraft.empty().withName("Second").withIdentifier("user-2"));
    assertThatThrownBy(() -> f.sb.contacts().update(id(), second.id(),
        ContactDraft.empty().withIdentifier("user-1"), anna))
        .isInstanceOf(ConflictException.class);

    assertThat(f.sb.contacts().findByIdentifier(id(), "user-1")).contains(first);
    assertThat(f.sb.contacts().get(id(), second.id()).identifier()).isEqualTo("user-2");
  }

  @Test
  void theSameEmailMayBelongToContactsOfTwoAccounts() {
    Account other = f.account("Other");
    create(ContactDraft.empty().withEmail("shared@example.test"));
    Contact there = f.sb.contacts().create(other.id(),
        ContactDraft.empty().withEmail("SHARED@example.test"), Actor.system());
    assertThat(there.email()).isEqualTo("shared@example.test");
  }

  @Test
  void updatingAContactEmitsContactUpdatedWithPreviousAndCurrentValues() {
    Contact c = create(ContactDraft.empty().withName("Hana").withEmail("hana@example.test")
        .withCustomAttributes(Map.of("plan", "free", "seats", 3)));

    Contact updated = f.sb.contacts().update(id(), c.id(), ContactDraft.empty()
        .withName("Hana Smith").withEmail("Hana.Smith@Example.test")
        .withCustomAttributes(Map.of("plan", "gold")), anna);

    assertThat(updated.name()).isEqualTo("Hana Smith");
    assertThat(updated.email()).isEqualTo("hana.smith@example.test");
    assertThat(updated.customAttributes()).isEqualTo(Map.of("plan", "gold", "seats", 3L));
    assertThat(f.sb.contacts().get(id(), c.id())).isEqualTo(updated);
    List<Event> events = f.syncEvents(EventType.CONTACT_UPDATED);
    assertThat(events).hasSize(1);
    Event e = events.get(0);
    assertThat(e.contact()).isEqualTo(updated);
    assertThat(e.performer()).isEqualTo(anna);
    assertThat(e.changedAttributes()).containsOnlyKeys("name", "email", "custom_attributes");
    assertThat(e.changedAttributes().get("name")).isEqualTo(new Change("Hana", "Hana Smith"));
    assertThat(e.changedAttributes().get("email"))
        .isEqualTo(new Change("hana@example.test", "hana.smith@example.test"));
    assertThat(e.changedAttributes().get("custom_attributes")).isEqualTo(new Change(
        Map.of("plan", "free", "seats", 3L), Map.of("plan", "gold", "seats", 3L)));
  }

  @Test
  void anUpdateThatChangesNothingEmitsNothing() {
    Contact c = create(ContactDraft.empty().withName("Hana").withEmail("hana@example.test"));
    Contact same = f.sb.contacts().update(id(), c.id(),
        ContactDraft.empty().withName("Hana").withEmail("HANA@example.test"), anna);
    assertThat(same).isEqualTo(c);
    assertThat(f.syncEvents(EventType.CONTACT_UPDATED)).isEmpty();
  }

  @Test
  void identifyingAVisitorWithAKnownIdentifierMergesTheVisitorIntoThatContact() {
    Contact known = create(ContactDraft.empty().withName("Paul").withIdentifier("user-7")
        .withEmail("paul@example.test").withCustomAttributes(Map.of("plan", "gold")));
    Message first = visitorWrites("visitor-1", "v-1");
    Message second = visitorWrites("visitor-1", "v-2");
    Contact visitor = contactOf(first);
    Conversation conversation = f.sb.conversations().get(id(), first.conversationId());
    ContactInbox visitorInbox = f.sb.contacts().contactInboxes(id(), visitor.id()).get(0);
    assertThat(visitor.id()).isNotEqualTo(known.id());

    Contact survivor = f.sb.contacts().identify(id(), visitor.id(),
        ContactDraft.empty().withIdentifier("user-7").withName("Paul P."), anna);

    assertThat(survivor.id()).isEqualTo(known.id());
    assertThat(survivor.name()).isEqualTo("Paul P.");
    assertThat(survivor.email()).isEqualTo("paul@example.test");
    assertThat(survivor.customAttributes()).containsEntry("plan", "gold");
    assertThat(f.sb.contacts().find(id(), visitor.id())).isEmpty();
    assertThat(f.sb.conversations().get(id(), conversation.id()).contactId()).isEqualTo(known.id());
    assertThat(f.sb.contacts().contactInboxes(id(), known.id())).extracting(ContactInbox::id)
        .containsExactly(visitorInbox.id());
    assertThat(f.sb.messages().list(id(), conversation.id(), null, 200).items())
        .filteredOn(m -> m.senderType() == SenderType.CONTACT)
        .extracting(Message::id, Message::senderId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(first.id(), known.id()),
            org.assertj.core.groups.Tuple.tuple(second.id(), known.id()));
    List<Event> merged = f.syncEvents(EventType.CONTACT_MERGED);
    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).contact().id()).isEqualTo(known.id());
    assertThat(merged.get(0).changedAttributes().get("merged_contact_id"))
        .isEqualTo(new Change(visitor.id(), known.id()));
    assertThat(f.sb.contacts().list(id(), null, 200).items()).extracting(Contact::id)
        .containsExactly(known.id());

    // the contact's next message goes to the same conversation, now under the known contact
    Message third = visitorWrites("visitor-1", "v-3");
    assertThat(third.conversationId()).isEqualTo(conversation.id());
    assertThat(third.senderId()).isEqualTo(known.id());
  }

  @Test
  void identifyingWithAKnownEmailOfAnUnidentifiedContactMergesIntoIt() {
    Contact known = create(ContactDraft.empty().withName("Eve").withEmail("eve@example.test"));
    Contact visitor = contactOf(visitorWrites("visitor-e", "e-1"));

    Contact survivor = f.sb.contacts().identify(id(), visitor.id(),
        ContactDraft.empty().withEmail("EVE@example.test").withIdentifier("user-eve"), anna);

    assertThat(survivor.id()).isEqualTo(known.id());
    assertThat(survivor.identifier()).isEqualTo("user-eve");
    assertThat(f.sb.contacts().find(id(), visitor.id())).isEmpty();
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).hasSize(1);
  }

  @Test
  void identifyingWithAKnownPhoneNumberMergesIntoThatContact() {
    Contact known = create(ContactDraft.empty().withName("Phil").withPhoneNumber("+4915100009"));
    Contact visitor = contactOf(visitorWrites("visitor-p", "p-1"));

    Contact survivor = f.sb.contacts().identify(id(), visitor.id(),
        ContactDraft.empty().withPhoneNumber("+4915100009"), anna);

    assertThat(survivor.id()).isEqualTo(known.id());
    assertThat(f.sb.contacts().find(id(), visitor.id())).isEmpty();
  }

  @Test
  void theIdentifierWinsOverTheEmailAndTheEmailOverThePhoneNumber() {
    Contact byIdentifier = create(ContactDraft.empty().withName("Ivy").withIdentifier("user-ivy"));
    Contact byEmail = create(ContactDraft.empty().withName("Emil").withEmail("emil@example.test"));
    Contact byPhone = create(ContactDraft.empty().withName("Pia").withPhoneNumber("+4915100077"));

    Contact v1 = contactOf(visitorWrites("visitor-1", "1"));
    Contact s1 = f.sb.contacts().identify(id(), v1.id(), ContactDraft.empty()
        .withIdentifier("user-ivy").withPhoneNumber("+4915100077"), anna);
    assertThat(s1.id()).isEqualTo(byIdentifier.id());

    Contact v2 = contactOf(visitorWrites("visitor-2", "2"));
    Contact s2 = f.sb.contacts().identify(id(), v2.id(), ContactDraft.empty()
        .withEmail("emil@example.test").withPhoneNumber("+4915100077"), anna);
    assertThat(s2.id()).isEqualTo(byEmail.id());

    assertThat(f.sb.contacts().find(id(), byPhone.id())).isPresent();
    assertThat(f.sb.contacts().find(id(), v1.id())).isEmpty();
    assertThat(f.sb.contacts().find(id(), v2.id())).isEmpty();
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).extracting(e -> e.contact().id())
        .containsExactly(byIdentifier.id(), byEmail.id());
  }

  @Test
  void anEmailOfAnotherIdentifiedContactIsNotTakenOver() {
    Contact owner = create(ContactDraft.empty().withName("Olga").withIdentifier("user-olga")
        .withEmail("olga@example.test"));
    Contact visitor = contactOf(visitorWrites("visitor-o", "o-1"));

    Contact result = f.sb.contacts().identify(id(), visitor.id(), ContactDraft.empty()
        .withIdentifier("user-oscar").withEmail("olga@example.test").withName("Oscar"), anna);

    assertThat(result.id()).isEqualTo(visitor.id());
    assertThat(result.identifier()).isEqualTo("user-oscar");
    assertThat(result.name()).isEqualTo("Oscar");
    assertThat(result.email()).isNull();
    assertThat(f.sb.contacts().get(id(), owner.id())).isEqualTo(owner);
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).isEmpty();
  }

  @Test
  void anEmailOfAnotherIdentifiedContactIsNotTakenOverAfterAMergeByIdentifier() {
    Contact paul = create(ContactDraft.empty().withName("Paul").withIdentifier("user-paul"));
    Contact olga = create(ContactDraft.empty().withName("Olga").withIdentifier("user-olga")
        .withEmail("olga@example.test"));
    Contact visitor = contactOf(visitorWrites("visitor-x", "x-1"));

    Contact result = f.sb.contacts().identify(id(), visitor.id(), ContactDraft.empty()
        .withIdentifier("user-paul").withEmail("olga@example.test"), anna);

    assertThat(result.id()).isEqualTo(paul.id());
    assertThat(result.email()).isNull();
    assertThat(f.sb.contacts().find(id(), visitor.id())).isEmpty();
    assertThat(f.sb.contacts().get(id(), olga.id())).isEqualTo(olga);
  }

  @Test
  void anIdentifiedContactIdentifiedByAnotherIdentifiedContactsEmailIsNotMerged() {
    Contact olga = create(ContactDraft.empty().withName("Olga").withIdentifier("user-olga")
        .withEmail("olga@example.test"));
    Contact oscar = create(ContactDraft.empty().withName("Oscar").withIdentifier("user-oscar"));

    Contact result = f.sb.contacts().identify(id(), oscar.id(),
        ContactDraft.empty().withEmail("olga@example.test"), anna);

    assertThat(result.id()).isEqualTo(oscar.id());
    assertThat(result.identifier()).isEqualTo("user-oscar");
    assertThat(result.email()).isNull();
    assertThat(f.sb.contacts().get(id(), olga.id())).isEqualTo(olga);
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).isEmpty();
  }

  @Test
  void identifyingAContactWithItsOwnValuesOnlyAppliesTheNewFields() {
    Contact c = create(ContactDraft.empty().withIdentifier("user-1").withEmail("one@example.test"));
    Contact result = f.sb.contacts().identify(id(), c.id(), ContactDraft.empty()
        .withIdentifier("user-1").withEmail("one@example.test").withName("One"), anna);
    assertThat(result.id()).isEqualTo(c.id());
    assertThat(result.name()).isEqualTo("One");
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).isEmpty();
  }

  @Test
  void mergingMovesConversationsAndFillsMissingFieldsFromTheMergee() {
    Message m1 = visitorWrites("base-src", "b-1");
    Message m2 = visitorWrites("mergee-src", "m-1");
    Contact base = contactOf(m1);
    Contact mergee = f.sb.contacts().update(id(), contactOf(m2).id(),
        ContactDraft.empty().withEmail("mergee@example.test"), anna);
    f.sb.messages().reply(id(), m2.conversationId(), MessageDraft.builder().content("hi")
        .sourceId("echo-1").build(), anna);

    Contact merged = f.sb.contacts().merge(id(), base.id(), mergee.id(), anna);

    assertThat(merged.id()).isEqualTo(base.id());
    assertThat(merged.email()).isEqualTo("mergee@example.test");
    assertThat(merged.name()).isEqualTo(base.name());
    assertThat(f.sb.contacts().find(id(), mergee.id())).isEmpty();
    assertThat(f.sb.conversations().get(id(), m2.conversationId()).contactId()).isEqualTo(base.id());
    assertThat(f.sb.contacts().contactInboxes(id(), base.id())).hasSize(2);
    assertThat(f.sb.messages().get(id(), m2.id()).senderId()).isEqualTo(base.id());
    assertThat(f.sb.contacts().get(id(), base.id())).isEqualTo(merged);
  }

  private ContactInbox contactInboxOf(Message m) {
    long ci = f.sb.conversations().get(id(), m.conversationId()).contactInboxId();
    return f.sb.contacts().findContactInbox(id(), ci).orElseThrow();
  }

  @Test
  void verifyingAVisitorMovesTheUnverifiedVisitorsOfItsChannelToContactsOfTheirOwn() {
    Inbox otherSite = f.apiInbox(id());
    Message claimer = visitorWrites("claimer", "c-1");
    // another visitor claims the email unverified; a second inbox of the channel joins it
    Contact claimed = f.sb.contacts().identifyVisitor(id(), contactInboxOf(claimer).id(),
        ContactDraft.empty().withEmail("bob@example.test").withName("Mallory"), false, anna);
    Message sameChannel = f.incoming(otherSite, "claimer-2", "c-2", "hi");
    f.sb.contacts().identifyVisitor(id(), contactInboxOf(sameChannel).id(),
        ContactDraft.empty().withEmail("bob@example.test"), false, anna);
    Message owner = visitorWrites("owner", "o-1");

    Contact survivor = f.sb.contacts().identifyVisitor(id(), contactInboxOf(owner).id(),
        ContactDraft.empty().withIdentifier("bob-1").withEmail("bob@example.test"), true, anna);

    // merged into the email's contact, as identify does; only the owner's inbox stays on it
    assertThat(survivor.id()).isEqualTo(claimed.id());
    assertThat(survivor.identifier()).isEqualTo("bob-1");
    assertThat(f.sb.contacts().contactInboxes(id(), survivor.id()))
        .extracting(ContactInbox::id, ContactInbox::hmacVerified)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(contactInboxOf(owner).id(), true));
    for (Message m : List.of(claimer, sameChannel)) {
      ContactInbox moved = contactInboxOf(m);
      Contact own = f.sb.contacts().get(id(), moved.contactId());
      assertThat(own.id()).isNotEqualTo(survivor.id());
      assertThat(own.email()).isNull();
      assertThat(own.contactType()).isEqualTo(ContactType.VISITOR);
      assertThat(f.sb.conversations().get(id(), m.conversationId()).contactId())
          .isEqualTo(own.id());
      assertThat(f.sb.messages().get(id(), m.id()).senderId()).isEqualTo(own.id());
    }
    assertThat(contactInboxOf(claimer).contactId())
        .isNotEqualTo(contactInboxOf(sameChannel).contactId());
    assertThat(f.sb.messages().get(id(), owner.id()).senderId()).isEqualTo(survivor.id());
    // unverified, the email of the verified contact is not taken again, nor is it changed
    assertThatThrownBy(() -> f.sb.contacts().identifyVisitor(id(), contactInboxOf(claimer).id(),
        ContactDraft.empty().withEmail("bob@example.test"), false, anna))
        .isInstanceOf(io.switchboard.VerificationRequiredException.class);
    assertThatThrownBy(() -> f.sb.contacts().identifyVisitor(id(), contactInboxOf(owner).id(),
        ContactDraft.empty().withIdentifier("bob-2"), false, anna))
        .isInstanceOf(io.switchboard.VerificationRequiredException.class);
    assertThat(f.sb.contacts().get(id(), survivor.id()).identifier()).isEqualTo("bob-1");
  }

  @Test
  void verifyingKeepsTheContactsInboxesOfOtherChannels() {
    Inbox mail = f.sb.admin().createInbox(id(), io.switchboard.InboxDraft.of("Bot",
        TestChannel.TYPE, Map.of("bot", "bot-s", "secret", "s3cret-token")));
    Message fromBot = f.incoming(mail, "4711", "t-1", "hi");
    Contact known = f.sb.contacts().update(id(), contactOf(fromBot).id(),
        ContactDraft.empty().withEmail("tom@example.test"), anna);
    Message visitor = visitorWrites("visitor-t", "v-1");

    Contact survivor = f.sb.contacts().identifyVisitor(id(), contactInboxOf(visitor).id(),
        ContactDraft.empty().withIdentifier("tom-1").withEmail("tom@example.test"), true, anna);

    assertThat(survivor.id()).isEqualTo(known.id());
    assertThat(f.sb.contacts().contactInboxes(id(), known.id())).extracting(ContactInbox::id)
        .containsExactlyInAnyOrder(contactInboxOf(fromBot).id(), contactInboxOf(visitor).id());
  }

  @Test
  void listingContactsPageByPageReturnsEachContactExactlyOnce() {
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      created.add(create(ContactDraft.empty().withName("C" + i)
          .withEmail("c" + i + "@example.test")).id());
    }
    Account other = f.account("Other");
    f.sb.contacts().create(other.id(), ContactDraft.empty().withName("Elsewhere"), anna);

    List<Long> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String cursor = null;
    do {
      Page<Contact> page = f.sb.contacts().list(id(), cursor, 5);
      page.items().forEach(c -> seen.add(c.id()));
      sizes.add(page.items().size());
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(created);
    assertThat(sizes).containsExactly(5, 5, 5, 5, 3);
  }

  @Test
  void aPageExactlyAsLongAsTheRestHasNoNextCursor() {
    for (int i = 0; i < 10; i++) {
      create(ContactDraft.empty().withName("C" + i));
    }
    Page<Contact> first = f.sb.contacts().list(id(), null, 5);
    Page<Contact> second = f.sb.contacts().list(id(), first.nextCursor(), 5);
    assertThat(first.nextCursor()).isNotNull();
    assertThat(second.items()).hasSize(5);
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void eightConcurrentCreatesWithOneEmailMakeOneContactAndSevenConflicts() throws Exception {
    List<Object> outcomes = IngestContract.concurrently(8, i -> {
      try {
        return create(ContactDraft.empty().withName("Racer " + i)
            .withEmail(i % 2 == 0 ? "race@example.test" : "RACE@example.TEST"));
      } catch (ConflictException e) {
        return e;
      }
    });

    assertThat(outcomes).filteredOn(o -> o instanceof Contact).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ConflictException).hasSize(7);
    assertThat(f.sb.contacts().list(id(), null, 200).items()).hasSize(1);
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
  }

  @Test
  void visitorsIdentifiedConcurrentlyWithOneIdentifierEndAsOneContact() throws Exception {
    List<Contact> visitors = new ArrayList<>();
    List<Long> conversations = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Message m = visitorWrites("visitor-" + i, "vm-" + i);
      visitors.add(contactOf(m));
      conversations.add(m.conversationId());
    }

    List<Contact> results = IngestContract.concurrently(4, i -> f.sb.contacts().identify(id(),
        visitors.get(i).id(), ContactDraft.empty().withIdentifier("user-42"), anna));

    List<Contact> remaining = f.sb.contacts().list(id(), null, 200).items();
    assertThat(remaining).hasSize(1);
    Contact survivor = remaining.get(0);
    assertThat(survivor.identifier()).isEqualTo("user-42");
    assertThat(results).extracting(Contact::id).containsOnly(survivor.id());
    assertThat(conversations).allSatisfy(c ->
        assertThat(f.sb.conversations().get(id(), c).contactId()).isEqualTo(survivor.id()));
    assertThat(f.sb.contacts().contactInboxes(id(), survivor.id())).hasSize(4);
    assertThat(f.syncEvents(EventType.CONTACT_MERGED)).hasSize(3);
  }
}
