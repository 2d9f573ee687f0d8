package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConflictException;
import io.switchboard.InboxDraft;
import io.switchboard.NotFoundException;
import io.switchboard.ValidationException;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.internal.Json;
import io.switchboard.model.Account;
import io.switchboard.model.AccountUser;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.InboxMember;
import io.switchboard.model.Role;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin service: accounts, agents, teams, inboxes and inbox members. */
abstract class AdminContract {
  private static final String SECRET = "s3cret-value-0123456789";
  private static final String NEW_SECRET = "an0ther-s3cret-9876543210";

  Fixture f;
  Account acme;
  Account other;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    f = new Fixture(newStore());
    acme = f.account("Acme");
    other = f.account("Other");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static char[] password() {
    return "correct horse battery".toCharArray();
  }

  // ---------------------------------------------------------------- accounts

  @Test
  void accountsAreCreatedReadListedAndUpdated() {
    Account created = f.sb.admin().createAccount("  Initech  ");

    assertThat(created.name()).isEqualTo("Initech");
    assertThat(created.locale()).isEqualTo("en");
    assertThat(f.sb.admin().account(created.id())).isEqualTo(created);
    assertThat(f.sb.admin().accounts()).extracting(Account::id)
        .containsExactly(acme.id(), other.id(), created.id());

    Account renamed = f.sb.admin().updateAccount(created.id(), "Initrode", null);
    assertThat(renamed.name()).isEqualTo("Initrode");
    assertThat(renamed.locale()).isEqualTo("en");
    Account relocalized = f.sb.admin().updateAccount(created.id(), null, "de");
    assertThat(f.sb.admin().account(created.id()))
        .isEqualTo(relocalized)
        .satisfies(a -> {
          assertThat(a.name()).isEqualTo("Initrode");
          assertThat(a.locale()).isEqualTo("de");
          assertThat(a.createdAt()).isEqualTo(created.createdAt());
        });
  }

  @Test
  void aBlankAccountNameAndAnUnknownAccountAreRefused() {
    assertThatThrownBy(() -> f.sb.admin().createAccount(" "))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> f.sb.admin().account(999_999)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().updateAccount(999_999, "X", null))
        .isInstanceOf(NotFoundException.class);
  }

  // ---------------------------------------------------------------- agents

  @Test
  void agentsAreCreatedReadListedAndTheirRoleNameAndEmailUpdated() {
    User anna = f.sb.admin().createAgent(acme.id(), " Anna ", "Anna@Acme.test",
        Role.ADMINISTRATOR, password());
    User bob = f.sb.admin().createAgent(acme.id(), "Bob", "bob@acme.test", Role.AGENT, null);

    assertThat(anna.name()).isEqualTo("Anna");
    assertThat(anna.email()).isEqualTo("anna@acme.test");
    assertThat(f.sb.admin().agent(acme.id(), anna.id())).isEqualTo(anna);
    assertThat(f.sb.admin().agents(acme.id())).containsExactly(
        new AccountUser(acme.id(), anna.id(), Role.ADMINISTRATOR),
        new AccountUser(acme.id(), bob.id(), Role.AGENT));
    assertThat(f.sb.admin().agents(other.id())).isEmpty();

    AccountUser promoted = f.sb.admin().updateAgentRole(acme.id(), bob.id(), Role.ADMINISTRATOR);
    assertThat(promoted.role()).isEqualTo(Role.ADMINISTRATOR);
    assertThat(f.sb.admin().membership(acme.id(), bob.id()).role()).isEqualTo(Role.ADMINISTRATOR);

    User renamed = f.sb.admin().updateAgent(acme.id(), anna.id(), "Anna Lee", null);
    assertThat(renamed.name()).isEqualTo("Anna Lee");
    assertThat(renamed.email()).isEqualTo("anna@acme.test");
    User moved = f.sb.admin().updateAgent(acme.id(), anna.id(), null, " Anna.Lee@Acme.test ");
    assertThat(moved.email()).isEqualTo("anna.lee@acme.test");
    assertThat(f.sb.admin().agent(acme.id(), anna.id())).isEqualTo(moved)
        .satisfies(u -> assertThat(u.createdAt()).isEqualTo(anna.createdAt()));
    assertThat(f.sb.admin().authenticate("anna.lee@acme.test", password())).contains(moved);
    assertThat(f.sb.admin().authenticate("anna@acme.test", password())).isEmpty();
  }

  @Test
  void anAgentsEmailCannotTakeAnotherUsersNorChangeForAUserOfAnotherAccount() {
    User anna = f.sb.admin().createAgent(acme.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    User bob = f.sb.admin().createAgent(acme.id(), "Bob", "bob@acme.test", Role.AGENT, null);
    // the same person works in the other account too
    User shared = f.sb.admin().createAgent(other.id(), "Bob", "bob@acme.test", Role.AGENT, null);
    assertThat(shared.id()).isEqualTo(bob.id());

    assertThatThrownBy(() -> f.sb.admin().updateAgent(acme.id(), anna.id(), null, "BOB@acme.test"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("another user");
    assertThatThrownBy(() -> f.sb.admin().updateAgent(acme.id(), bob.id(), null, "robert@acme.test"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("another account");
    assertThat(f.sb.admin().agent(other.id(), bob.id()).email()).isEqualTo("bob@acme.test");
    // the name is the person's, in every account
    f.sb.admin().updateAgent(acme.id(), bob.id(), "Robert", null);
    assertThat(f.sb.admin().agent(other.id(), bob.id()).name()).isEqualTo("Robert");
    assertThatThrownBy(() -> f.sb.admin().updateAgent(acme.id(), anna.id(), " ", null))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
  }

  @Test
  void anAgentOfAnotherAccountIsNotFound() {
    User stranger = f.sb.admin().createAgent(other.id(), "Stranger", "s@other.test", Role.AGENT, null);

    assertThatThrownBy(() -> f.sb.admin().agent(acme.id(), stranger.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().membership(acme.id(), stranger.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().updateAgentRole(acme.id(), stranger.id(), Role.AGENT))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().updateAgent(acme.id(), stranger.id(), "Mine", null))
        .isInstanceOf(NotFoundException.class);
    assertThat(f.sb.admin().agent(other.id(), stranger.id()).name()).isEqualTo("Stranger");
    assertThatThrownBy(() -> f.sb.admin().createAgent(999_999, "X", "x@x.test", Role.AGENT, null))
        .isInstanceOf(NotFoundException.class);
  }

  // ---------------------------------------------------------------- teams

  @Test
  void teamsAreCreatedReadListedUpdatedAndGetMembers() {
    User anna = f.sb.admin().createAgent(acme.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    Team support = f.sb.admin().createTeam(acme.id(), " Support ", "first line");
    Team billing = f.sb.admin().createTeam(acme.id(), "Billing", null);

    assertThat(support.name()).isEqualTo("Support");
    assertThat(support.memberIds()).isEmpty();
    assertThat(f.sb.admin().team(acme.id(), support.id())).isEqualTo(support);
    assertThat(f.sb.admin().teams(acme.id())).extracting(Team::id)
        .containsExactly(support.id(), billing.id());
    assertThat(f.sb.admin().teams(other.id())).isEmpty();

    Team renamed = f.sb.admin().updateTeam(acme.id(), support.id(), "Care", null);
    assertThat(renamed.name()).isEqualTo("Care");
    assertThat(renamed.description()).isEqualTo("first line");
    Team withMember = f.sb.admin().addTeamMember(acme.id(), support.id(), anna.id());
    assertThat(withMember.memberIds()).containsExactly(anna.id());
    assertThat(f.sb.admin().addTeamMember(acme.id(), support.id(), anna.id()).memberIds())
        .as("adding twice keeps one membership").containsExactly(anna.id());
    assertThat(f.sb.admin().team(acme.id(), support.id()))
        .isEqualTo(new Team(support.id(), acme.id(), "Care", "first line", List.of(anna.id())));
  }

  @Test
  void aTeamNameTakenInTheAccountIsAConflictAtOnce() {
    Team sales = f.sb.admin().createTeam(acme.id(), "Sales", null);
    Team care = f.sb.admin().createTeam(acme.id(), "Care", null);

    assertThatThrownBy(() -> f.sb.admin().createTeam(acme.id(), " Sales ", "again"))
        .isInstanceOf(io.switchboard.ConflictException.class).hasMessageContaining("Sales");
    assertThatThrownBy(() -> f.sb.admin().updateTeam(acme.id(), care.id(), "Sales", null))
        .isInstanceOf(io.switchboard.ConflictException.class);
    // the same name in another account, and a team keeping its own name, are fine
    assertThat(f.sb.admin().createTeam(other.id(), "Sales", null).name()).isEqualTo("Sales");
    assertThat(f.sb.admin().updateTeam(acme.id(), sales.id(), "Sales", "renamed to itself")
        .description()).isEqualTo("renamed to itself");
    assertThat(f.sb.admin().teams(acme.id())).hasSize(2);
  }

  @Test
  void anotherAccountsTeamAndAgentAreNotFoundForTeams() {
    Team theirs = f.sb.admin().createTeam(other.id(), "Theirs", null);
    Team ours = f.sb.admin().createTeam(acme.id(), "Ours", null);
    User stranger = f.sb.admin().createAgent(other.id(), "Stranger", "s@other.test", Role.AGENT, null);

    assertThatThrownBy(() -> f.sb.admin().team(acme.id(), theirs.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().updateTeam(acme.id(), theirs.id(), "Mine", null))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().addTeamMember(acme.id(), ours.id(), stranger.id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(f.sb.admin().team(other.id(), theirs.id()).name()).isEqualTo("Theirs");
    assertThat(f.sb.admin().team(acme.id(), ours.id()).memberIds()).isEmpty();
  }

  // ---------------------------------------------------------------- inboxes

  private Inbox createApiInbox(long accountId, String name) {
    return f.sb.admin().createInbox(accountId, InboxDraft.of(name, ChannelType.API, Map.of(
        ApiChannel.WEBHOOK_URL, "https://93.184.216.34/hook", ApiChannel.WEBHOOK_SECRET, SECRET)));
  }

  /** The event as it is written to the event log and sent to async listeners and clients. */
  private static String logged(Event e) {
    return Json.writeEvent(e);
  }

  @Test
  void creatingAnInboxEmitsInboxCreatedWithoutItsSettings() {
    Inbox inbox = createApiInbox(acme.id(), " Backend ");

    assertThat(inbox.name()).isEqualTo("Backend");
    assertThat(inbox.setting(ApiChannel.WEBHOOK_SECRET)).isEqualTo(SECRET);
    assertThat(f.sb.admin().inbox(acme.id(), inbox.id())).isEqualTo(inbox);
    Event created = f.syncEvents(EventType.INBOX_CREATED).get(0);
    assertThat(created.accountId()).isEqualTo(acme.id());
    assertThat(created.inboxId()).isEqualTo(inbox.id());
    assertThat(created.performer()).isEqualTo(Actor.system());
    assertThat(created.changedAttributes()).isEmpty();
    assertThat(created.inbox().id()).isEqualTo(inbox.id());
    assertThat(created.inbox().name()).isEqualTo("Backend");
    assertThat(created.inbox().settings()).isEmpty();
    assertThat(logged(created)).doesNotContain(SECRET).doesNotContain("93.184.216.34");
    List<Event> stored = f.sb.events(acme.id(), 0, 100);
    assertThat(stored).filteredOn(e -> e.type() == EventType.INBOX_CREATED).singleElement()
        .satisfies(e -> assertThat(e.inbox().settings()).isEmpty());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.asyncEvents(EventType.INBOX_CREATED)).singleElement()
            .satisfies(e -> assertThat(e.inbox().settings()).isEmpty()));
  }

  @Test
  void updatingAnInboxEmitsInboxUpdatedWithTheChangedAttributesAndOnlyTheNamesOfChangedSettings() {
    Inbox inbox = createApiInbox(acme.id(), "Backend");
    int mark = f.syncEvents.size();

    Inbox updated = f.sb.admin().updateInbox(acme.id(), inbox.id(), InboxDraft.update()
        .withName("Backend v2").withGreetingMessage("Hello!").withLockToSingleConversation(true)
        .withSettings(Map.of(ApiChannel.WEBHOOK_SECRET, NEW_SECRET)));

    assertThat(updated.name()).isEqualTo("Backend v2");
    assertThat(updated.greetingMessage()).isEqualTo("Hello!");
    assertThat(updated.lockToSingleConversation()).isTrue();
    assertThat(updated.setting(ApiChannel.WEBHOOK_SECRET)).isEqualTo(NEW_SECRET);
    assertThat(updated.setting(ApiChannel.WEBHOOK_URL)).as("settings merge key by key")
        .isEqualTo("https://93.184.216.34/hook");
    assertThat(f.sb.admin().inbox(acme.id(), inbox.id())).isEqualTo(updated);
    List<Event> events = f.syncEventsFrom(mark);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(EventType.INBOX_UPDATED);
      assertThat(e.inboxId()).isEqualTo(inbox.id());
      assertThat(e.changedAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "name", new Change("Backend", "Backend v2"),
          "greeting_message", new Change(null, "Hello!"),
          "lock_to_single_conversation", new Change(false, true),
          "settings", new Change(null, List.of(ApiChannel.WEBHOOK_SECRET))));
      assertThat(e.inbox().name()).isEqualTo("Backend v2");
      assertThat(e.inbox().settings()).isEmpty();
      assertThat(logged(e)).doesNotContain(SECRET).doesNotContain(NEW_SECRET);
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.asyncEvents(EventType.INBOX_UPDATED)).singleElement()
            .satisfies(e -> assertThat(e.changedAttributes().get("settings").current())
                .isEqualTo(List.of(ApiChannel.WEBHOOK_SECRET))));

    // removing a setting names it too; an update that changes nothing emits nothing
    f.sb.admin().updateInbox(acme.id(), inbox.id(), InboxDraft.update()
        .withSettings(new java.util.HashMap<>(java.util.Collections.singletonMap(
            ApiChannel.WEBHOOK_URL, null))));
    assertThat(f.syncEvents(EventType.INBOX_UPDATED)).last().satisfies(e ->
        assertThat(e.changedAttributes().get("settings").current())
            .isEqualTo(List.of(ApiChannel.WEBHOOK_URL)));
    int before = f.syncEvents.size();
    f.sb.admin().updateInbox(acme.id(), inbox.id(), InboxDraft.update().withName("Backend v2"));
    assertThat(f.syncEvents).hasSize(before);
  }

  @Test
  void inboxesAreListedPerAccountAndAnotherAccountsInboxIsNotFound() {
    Inbox first = createApiInbox(acme.id(), "First");
    Inbox second = createApiInbox(acme.id(), "Second");
    Inbox theirs = createApiInbox(other.id(), "Theirs");

    assertThat(f.sb.admin().inboxes(acme.id())).extracting(Inbox::id)
        .containsExactly(first.id(), second.id());
    assertThatThrownBy(() -> f.sb.admin().inbox(acme.id(), theirs.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().updateInbox(acme.id(), theirs.id(),
        InboxDraft.update().withName("Mine"))).isInstanceOf(NotFoundException.class);
    assertThat(f.sb.admin().inbox(other.id(), theirs.id()).name()).isEqualTo("Theirs");
    assertThatThrownBy(() -> f.sb.admin().createInbox(acme.id(),
        InboxDraft.of("Chat", ChannelType.TELEGRAM, Map.of())))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("channelType");
          assertThat(e.getMessage()).contains("telegram").contains("[api]");
        });
    assertThatThrownBy(() -> f.sb.admin().createInbox(acme.id(),
        InboxDraft.of("API", ChannelType.API, Map.of(ApiChannel.WEBHOOK_URL, "https://93.184.216.34/"))))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo(ApiChannel.WEBHOOK_SECRET));
  }

  // ---------------------------------------------------------------- inbox members

  @Test
  void inboxMembersAreAddedOnceListedAndRemovedAndDecideWhichInboxesAnAgentWorks() {
    User admin = f.sb.admin().createAgent(acme.id(), "Ada", "ada@acme.test", Role.ADMINISTRATOR, null);
    User anna = f.sb.admin().createAgent(acme.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    Inbox sales = createApiInbox(acme.id(), "Sales");
    Inbox support = createApiInbox(acme.id(), "Support");

    f.sb.admin().addInboxMember(acme.id(), sales.id(), anna.id());
    f.sb.admin().addInboxMember(acme.id(), sales.id(), anna.id());

    assertThat(f.sb.admin().inboxMembers(acme.id(), sales.id()))
        .containsExactly(new InboxMember(acme.id(), sales.id(), anna.id()));
    assertThat(f.sb.admin().inboxMembers(acme.id(), support.id())).isEmpty();
    assertThat(f.sb.admin().inboxIdsOf(acme.id(), anna.id())).containsExactly(sales.id());
    assertThat(f.sb.admin().inboxIdsOf(acme.id(), admin.id()))
        .containsExactly(sales.id(), support.id());

    f.sb.admin().removeInboxMember(acme.id(), sales.id(), anna.id());
    assertThat(f.sb.admin().inboxMembers(acme.id(), sales.id())).isEmpty();
    assertThat(f.sb.admin().inboxIdsOf(acme.id(), anna.id())).isEmpty();
  }

  @Test
  void inboxMembershipStaysWithinTheAccount() {
    User stranger = f.sb.admin().createAgent(other.id(), "Stranger", "s@other.test", Role.AGENT, null);
    User anna = f.sb.admin().createAgent(acme.id(), "Anna", "anna@acme.test", Role.AGENT, null);
    Inbox ours = createApiInbox(acme.id(), "Ours");
    Inbox theirs = createApiInbox(other.id(), "Theirs");

    assertThatThrownBy(() -> f.sb.admin().addInboxMember(acme.id(), ours.id(), stranger.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().addInboxMember(acme.id(), theirs.id(), anna.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().inboxMembers(acme.id(), theirs.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.sb.admin().inboxIdsOf(acme.id(), stranger.id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(f.sb.admin().inboxMembers(acme.id(), ours.id())).isEmpty();
  }
}
