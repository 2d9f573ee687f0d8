package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.switchboard.ContactDraft;
import io.switchboard.ConversationFilter;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.NotFoundException;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.Priority;
import io.switchboard.model.Role;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation: every call made for account B with account A's ids answers "not found"
 * and changes nothing in A; B's listings never show A's rows.
 */
abstract class TenantIsolationContract {
  Fixture f;
  Tenant a;
  Tenant b;

  abstract Store newStore();

  /** One account with an inbox, agent, team, contact, conversation and messages. */
  record Tenant(Account account, Inbox inbox, User agent, Team team, Contact contact,
      ContactInbox contactInbox, Conversation conversation, Message incoming, Message reply,
      Message note) {
    long id() {
      return account.id();
    }
  }

  /** Everything of account A that a call for B could change. */
  record Snapshot(Inbox inbox, List<?> inboxMembers, Team team, Object membership,
      List<?> agents, Contact contact, List<ContactInbox> contactInboxes,
      List<Conversation> conversations, List<Contact> contacts, List<Message> messages,
      List<Inbox> inboxes, List<Team> teams, long events) {}

  @BeforeEach
  void setUp() {
    f = new Fixture(newStore());
    // A has two conversations, so that its display id 2 does not exist in B
    a = tenant("Acme", "a", 2);
    b = tenant("Beta", "b", 1);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private Tenant tenant(String name, String key, int conversations) {
    Account account = f.account(name);
    Inbox inbox = f.apiInbox(account.id());
    User agent = f.sb.admin().createAgent(account.id(), "Agent " + key, key + "@agents.test",
        Role.AGENT, null);
    f.sb.admin().addInboxMember(account.id(), inbox.id(), agent.id());
    Team team = f.sb.admin().createTeam(account.id(), "Team " + key, null);
    f.sb.admin().addTeamMember(account.id(), team.id(), agent.id());
    for (int i = 1; i < conversations; i++) {
      f.incoming(inbox, key + "-other-" + i, key + "-other-m" + i, "hello");
    }
    Message incoming = f.sb.incoming().receive(account.id(), inbox.id(), new InboundMessage(
        key + "-m1", new InboundContact(key + "-src", "Customer " + key, key + "@customers.test",
            "+49151000" + (key.equals("a") ? "1" : "2"), key + "-ident", Map.of()),
        "hello", null, Map.of(), List.of(), Map.of(), false, null));
    Conversation conversation = f.sb.conversations().get(account.id(), incoming.conversationId());
    Contact contact = f.sb.contacts().get(account.id(), conversation.contactId());
    ContactInbox ci = f.sb.contacts().contactInboxes(account.id(), contact.id()).get(0);
    Message reply = f.sb.messages().reply(account.id(), conversation.id(),
        MessageDraft.builder().content("hi").sourceId(key + "-out-1").build(),
        Actor.user(agent));
    Message note = f.sb.messages().note(account.id(), conversation.id(), "internal",
        Actor.user(agent));
    conversation = f.sb.conversations().get(account.id(), conversation.id());
    return new Tenant(account, inbox, agent, team, contact, ci, conversation, incoming, reply,
        note);
  }

  private Snapshot snapshotOfA() {
    long id = a.id();
    return new Snapshot(
        f.sb.admin().inbox(id, a.inbox().id()),
        f.sb.admin().inboxMembers(id, a.inbox().id()),
        f.sb.admin().team(id, a.team().id()),
        f.sb.admin().membership(id, a.agent().id()),
        f.sb.admin().agents(id),
        f.sb.contacts().get(id, a.contact().id()),
        f.sb.contacts().contactInboxes(id, a.contact().id()),
        f.sb.conversations().list(id, ConversationFilter.all(), null, 200).items(),
        f.sb.contacts().list(id, null, 200).items(),
        f.sb.messages().list(id, a.conversation().id(), null, 200).items(),
        f.sb.admin().inboxes(id),
        f.sb.admin().teams(id),
        f.syncEvents.stream().filter(e -> e.accountId() == id).count());
  }

  @FunctionalInterface
  interface Call {
    Object run() throws Exception;
  }

  /**
   * Runs each call and checks that it throws {@link NotFoundException}; then checks that
   * account A is exactly as before. Reports every call that misbehaved at once.
   */
  private void assertEachIsNotFoundAndAIsUnchanged(Map<String, Call> calls) {
    Snapshot before = snapshotOfA();
    List<String> failures = new ArrayList<>();
    calls.forEach((name, call) -> {
      Throwable thrown = catchThrowable(call::run);
      if (!(thrown instanceof NotFoundException)) {
        failures.add(name + " -> " + (thrown == null ? "returned normally" : thrown.toString()));
      }
    });
    assertThat(failures).as("calls for account B with account A's ids").isEmpty();
    assertThat(snapshotOfA()).as("account A after the calls").isEqualTo(before);
  }

  private Actor bAgent() {
    return Actor.user(b.agent());
  }

  @Test
  void adminCallsForAnotherAccountsInboxTeamOrAgentAreNotFound() {
    long bId = b.id();
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("inbox", () -> f.sb.admin().inbox(bId, a.inbox().id()));
    calls.put("updateInbox", () -> f.sb.admin().updateInbox(bId, a.inbox().id(),
        InboxDraft.update().withName("hijacked").withBotEnabled(true)));
    calls.put("inboxMembers", () -> f.sb.admin().inboxMembers(bId, a.inbox().id()));
    calls.put("addInboxMember(A inbox, B agent)",
        () -> { f.sb.admin().addInboxMember(bId, a.inbox().id(), b.agent().id()); return null; });
    calls.put("addInboxMember(B inbox, A agent)",
        () -> { f.sb.admin().addInboxMember(bId, b.inbox().id(), a.agent().id()); return null; });
    calls.put("removeInboxMember(A inbox, A agent)",
        () -> { f.sb.admin().removeInboxMember(bId, a.inbox().id(), a.agent().id()); return null; });
    calls.put("inboxIdsOf(A agent)", () -> f.sb.admin().inboxIdsOf(bId, a.agent().id()));
    calls.put("team", () -> f.sb.admin().team(bId, a.team().id()));
    calls.put("updateTeam", () -> f.sb.admin().updateTeam(bId, a.team().id(), "hijacked", "x"));
    calls.put("addTeamMember(A team, B agent)",
        () -> f.sb.admin().addTeamMember(bId, a.team().id(), b.agent().id()));
    calls.put("addTeamMember(B team, A agent)",
        () -> f.sb.admin().addTeamMember(bId, b.team().id(), a.agent().id()));
    calls.put("agent", () -> f.sb.admin().agent(bId, a.agent().id()));
    calls.put("membership", () -> f.sb.admin().membership(bId, a.agent().id()));
    calls.put("updateAgentRole",
        () -> f.sb.admin().updateAgentRole(bId, a.agent().id(), Role.ADMINISTRATOR));

    assertEachIsNotFoundAndAIsUnchanged(calls);
    assertThat(f.sb.admin().inboxMembers(bId, b.inbox().id()))
        .allSatisfy(m -> assertThat(m.userId()).isEqualTo(b.agent().id()));
    assertThat(f.sb.admin().team(bId, b.team().id()).memberIds())
        .containsExactly(b.agent().id());
    assertThat(f.sb.admin().agents(bId)).extracting(m -> m.userId())
        .containsExactly(b.agent().id());
  }

  @Test
  void contactCallsForAnotherAccountsContactAreNotFound() {
    long bId = b.id();
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("get", () -> f.sb.contacts().get(bId, a.contact().id()));
    calls.put("update", () -> f.sb.contacts().update(bId, a.contact().id(),
        ContactDraft.empty().withName("hijacked"), bAgent()));
    calls.put("contactInboxes", () -> f.sb.contacts().contactInboxes(bId, a.contact().id()));
    calls.put("merge(B base, A mergee)",
        () -> f.sb.contacts().merge(bId, b.contact().id(), a.contact().id(), bAgent()));
    calls.put("merge(A base, B mergee)",
        () -> f.sb.contacts().merge(bId, a.contact().id(), b.contact().id(), bAgent()));
    calls.put("identify", () -> f.sb.contacts().identify(bId, a.contact().id(),
        ContactDraft.empty().withIdentifier("b-ident"), bAgent()));

    assertEachIsNotFoundAndAIsUnchanged(calls);
    assertThat(f.sb.contacts().get(bId, b.contact().id())).isEqualTo(b.contact());
  }

  @Test
  void contactFindersForAnotherAccountsValuesFindNothing() {
    long bId = b.id();
    Contact ac = a.contact();

    assertThat(f.sb.contacts().find(bId, ac.id())).isEmpty();
    assertThat(f.sb.contacts().findByEmail(bId, ac.email())).isEmpty();
    assertThat(f.sb.contacts().findByEmail(bId, ac.email().toUpperCase())).isEmpty();
    assertThat(f.sb.contacts().findByIdentifier(bId, ac.identifier())).isEmpty();
    assertThat(f.sb.contacts().findByPhone(bId, ac.phoneNumber())).isEmpty();
    assertThat(f.sb.contacts().findByEmail(a.id(), ac.email())).contains(ac);
  }

  @Test
  void identifyingAContactWithAnotherAccountsIdentifierAndEmailNeverMergesAcrossAccounts() {
    Snapshot before = snapshotOfA();
    Contact identified = f.sb.contacts().identify(b.id(), b.contact().id(),
        ContactDraft.empty().withIdentifier(a.contact().identifier() + "-b")
            .withEmail(a.contact().email()).withPhoneNumber(a.contact().phoneNumber()),
        bAgent());

    assertThat(identified.id()).isEqualTo(b.contact().id());
    assertThat(identified.accountId()).isEqualTo(b.id());
    assertThat(identified.email()).isEqualTo(a.contact().email());
    assertThat(snapshotOfA()).isEqualTo(before);
  }

  @Test
  void conversationCallsForAnotherAccountsConversationAreNotFound() {
    long bId = b.id();
    long conv = a.conversation().id();
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("get", () -> f.sb.conversations().get(bId, conv));
    calls.put("getByUuid", () -> f.sb.conversations().getByUuid(bId, a.conversation().uuid()));
    calls.put("getByDisplayId",
        () -> f.sb.conversations().getByDisplayId(bId, a.conversation().displayId()));
    calls.put("changeStatus", () -> f.sb.conversations().changeStatus(bId, conv,
        ConversationStatus.RESOLVED, null, bAgent()));
    calls.put("changeStatus(snoozed)", () -> f.sb.conversations().changeStatus(bId, conv,
        ConversationStatus.SNOOZED, Instant.parse("2099-01-01T00:00:00Z"), bAgent()));
    calls.put("assign(A conversation, B agent)",
        () -> f.sb.conversations().assign(bId, conv, b.agent().id(), bAgent()));
    calls.put("assign(A conversation, unassign)",
        () -> f.sb.conversations().assign(bId, conv, null, bAgent()));
    calls.put("assignTeam(A conversation, B team)",
        () -> f.sb.conversations().assignTeam(bId, conv, b.team().id(), bAgent()));
    calls.put("setPriority",
        () -> f.sb.conversations().setPriority(bId, conv, Priority.URGENT, bAgent()));
    calls.put("addLabels", () -> f.sb.conversations().addLabels(bId, conv, List.of("x"), bAgent()));
    calls.put("removeLabels",
        () -> f.sb.conversations().removeLabels(bId, conv, List.of("x"), bAgent()));
    calls.put("setCustomAttributes", () -> f.sb.conversations().setCustomAttributes(bId, conv,
        Map.of("plan", "gold"), bAgent()));
    calls.put("markRead", () -> { f.sb.conversations().markRead(bId, conv, bAgent()); return null; });
    calls.put("typing", () -> { f.sb.conversations().typing(bId, conv, true, bAgent()); return null; });
    calls.put("create(A contact inbox)",
        () -> f.sb.conversations().create(bId, a.contactInbox().id(), bAgent()));

    assertEachIsNotFoundAndAIsUnchanged(calls);
    assertThat(f.sb.conversations().find(bId, conv)).isEmpty();
  }

  @Test
  void assigningAnotherAccountsAgentOrTeamToAConversationFails() {
    long bId = b.id();
    long conv = b.conversation().id();
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("assign(B conversation, A agent)",
        () -> f.sb.conversations().assign(bId, conv, a.agent().id(), bAgent()));
    calls.put("assignTeam(B conversation, A team)",
        () -> f.sb.conversations().assignTeam(bId, conv, a.team().id(), bAgent()));

    assertEachIsNotFoundAndAIsUnchanged(calls);
    Conversation after = f.sb.conversations().get(bId, conv);
    assertThat(after.assigneeId()).isNull();
    assertThat(after.teamId()).isNull();
    assertThat(f.sb.messages().list(bId, conv, null, 200).items())
        .isEqualTo(List.of(b.incoming(), b.reply(), b.note()));
  }

  @Test
  void messageCallsForAnotherAccountsMessagesAreNotFound() {
    long bId = b.id();
    long conv = a.conversation().id();
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("get(incoming)", () -> f.sb.messages().get(bId, a.incoming().id()));
    calls.put("get(note)", () -> f.sb.messages().get(bId, a.note().id()));
    calls.put("list", () -> f.sb.messages().list(bId, conv, null, 50));
    calls.put("reply", () -> f.sb.messages().reply(bId, conv, MessageDraft.text("hijack"), bAgent()));
    calls.put("note", () -> f.sb.messages().note(bId, conv, "hijack", bAgent()));
    calls.put("reply(B conversation, in reply to A message)",
        () -> f.sb.messages().reply(bId, b.conversation().id(),
            MessageDraft.builder().content("x").inReplyTo(a.incoming().id()).build(), bAgent()));
    calls.put("updateStatus(delivered)",
        () -> f.sb.messages().updateStatus(bId, a.reply().id(), MessageStatus.DELIVERED, null));
    calls.put("updateStatus(failed)",
        () -> f.sb.messages().updateStatus(bId, a.reply().id(), MessageStatus.FAILED, "boom"));

    assertEachIsNotFoundAndAIsUnchanged(calls);
    assertThat(f.sb.messages().get(a.id(), a.reply().id()).status()).isEqualTo(MessageStatus.SENT);
  }

  @Test
  void incomingCallsForAnotherAccountsInboxAreNotFound() {
    long bId = b.id();
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("receive(new contact)", () -> f.sb.incoming().receive(bId, a.inbox().id(),
        InboundMessage.text("x-1", InboundContact.of("intruder", "Intruder"), "hi")));
    calls.put("receive(A's contact source id)", () -> f.sb.incoming().receive(bId,
        a.inbox().id(), InboundMessage.text("x-2", InboundContact.of("a-src", "A"), "hi")));
    calls.put("receive(A's message source id)", () -> f.sb.incoming().receive(bId,
        a.inbox().id(), InboundMessage.text("a-m1", InboundContact.of("a-src", "A"), "hi")));
    calls.put("receiveStatus", () -> f.sb.incoming().receiveStatus(bId, a.inbox().id(),
        new InboundStatus("a-out-1", MessageStatus.READ, null)));

    assertEachIsNotFoundAndAIsUnchanged(calls);
  }

  @Test
  void anIncomingMessageForOneAccountNeverMatchesAnotherAccountsContact() {
    Snapshot before = snapshotOfA();
    Message m = f.sb.incoming().receive(b.id(), b.inbox().id(), new InboundMessage("b-m2",
        new InboundContact("b-src-2", "Same person", a.contact().email(),
            a.contact().phoneNumber(), a.contact().identifier(), Map.of()),
        "hello", null, Map.of(), List.of(), Map.of(), false, null));

    Conversation c = f.sb.conversations().get(b.id(), m.conversationId());
    assertThat(c.contactId()).isNotEqualTo(a.contact().id());
    assertThat(f.sb.contacts().get(b.id(), c.contactId()).accountId()).isEqualTo(b.id());
    assertThat(snapshotOfA()).isEqualTo(before);
  }

  @Test
  void listingsOfOneAccountNeverReturnAnotherAccountsRows() {
    long bId = b.id();

    List<Conversation> conversations =
        f.sb.conversations().list(bId, ConversationFilter.all(), null, 200).items();
    assertThat(conversations).extracting(Conversation::id).containsExactly(b.conversation().id());
    assertThat(conversations).allSatisfy(c -> assertThat(c.accountId()).isEqualTo(bId));
    assertThat(f.sb.conversations().list(bId, ConversationFilter.all().withInbox(a.inbox().id()),
        null, 200).items()).isEmpty();
    assertThat(f.sb.conversations().list(bId,
        ConversationFilter.all().withinInboxes(List.of(a.inbox().id())), null, 200).items())
        .isEmpty();
    assertThat(f.sb.conversations().list(bId, ConversationFilter.all().withLabel("a-only"),
        null, 200).items()).isEmpty();

    List<Contact> contacts = f.sb.contacts().list(bId, null, 200).items();
    assertThat(contacts).extracting(Contact::id).containsExactly(b.contact().id());
    assertThat(f.sb.admin().inboxes(bId)).extracting(Inbox::id).containsExactly(b.inbox().id());
    assertThat(f.sb.admin().teams(bId)).extracting(Team::id).containsExactly(b.team().id());
    assertThat(f.sb.admin().agents(bId)).extracting(au -> au.userId())
        .containsExactly(b.agent().id());
    assertThat(f.sb.messages().list(bId, b.conversation().id(), null, 200).items())
        .allSatisfy(m -> assertThat(m.accountId()).isEqualTo(bId));
  }

  @Test
  void listingsWithAnotherAccountsAssigneeTeamOrLabelReturnNothing() {
    f.sb.conversations().assign(a.id(), a.conversation().id(), a.agent().id(),
        Actor.user(a.agent()));
    f.sb.conversations().assignTeam(a.id(), a.conversation().id(), a.team().id(),
        Actor.user(a.agent()));
    f.sb.conversations().addLabels(a.id(), a.conversation().id(), List.of("vip"),
        Actor.user(a.agent()));
    long bId = b.id();

    assertThat(f.sb.conversations().list(bId,
        ConversationFilter.all().withAssignee(a.agent().id()), null, 200).items()).isEmpty();
    assertThat(f.sb.conversations().list(bId, ConversationFilter.all().withTeam(a.team().id()),
        null, 200).items()).isEmpty();
    assertThat(f.sb.conversations().list(bId, ConversationFilter.all().withLabel("vip"),
        null, 200).items()).isEmpty();
    assertThat(f.sb.conversations().list(a.id(), ConversationFilter.all().withLabel("vip"),
        null, 200).items()).extracting(Conversation::id).containsExactly(a.conversation().id());
  }
}
