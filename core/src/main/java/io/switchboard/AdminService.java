package io.switchboard;

import io.switchboard.channel.ChannelProvider;
import io.switchboard.event.Change;
import io.switchboard.event.EventType;
import io.switchboard.internal.Engine;
import io.switchboard.internal.Passwords;
import io.switchboard.model.Account;
import io.switchboard.model.AccountUser;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.InboxMember;
import io.switchboard.model.Role;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import io.switchboard.store.StoreTx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Accounts, agents, teams, inboxes and inbox members. Thread-safe; get it from
 * {@link Switchboard#admin()}.
 */
public final class AdminService {
  private final Engine engine;
  private final Map<ChannelType, ChannelProvider> providers;

  AdminService(Engine engine, Map<ChannelType, ChannelProvider> providers) {
    this.engine = engine;
    this.providers = providers;
  }

  // accounts

  /** Creates an account. */
  public Account createAccount(String name) {
    requireText("name", name);
    return engine.tx(tx -> tx.insertAccount(new Account(0, name.strip(), "en", engine.now())));
  }

  /** The account, or {@link NotFoundException}. */
  public Account account(long accountId) {
    return engine.tx(tx -> tx.findAccount(accountId))
        .orElseThrow(() -> new NotFoundException("account", accountId, accountId));
  }

  public List<Account> accounts() {
    return engine.tx(StoreTx::listAccounts);
  }

  /** Renames an account or changes its locale (null leaves a field as it is). */
  public Account updateAccount(long accountId, String name, String locale) {
    return engine.tx(tx -> {
      Account a = tx.findAccount(accountId)
          .orElseThrow(() -> new NotFoundException("account", accountId, accountId));
      Account updated = new Account(a.id(), name == null ? a.name() : name,
          locale == null ? a.locale() : locale, a.createdAt());
      tx.updateAccount(updated);
      return updated;
    });
  }

  // agents

  /**
   * Adds an agent to an account: creates the user when no user has this email yet, and gives
   * it {@code role} in the account.
   *
   * @param password the sign-in password, hashed before it is stored; null for none
   */
  public User createAgent(long accountId, String name, String email, Role role, char[] password) {
    requireText("name", name);
    requireText("email", email);
    Objects.requireNonNull(role, "role");
    String normalized = email.strip().toLowerCase(java.util.Locale.ROOT);
    String hash = password == null ? null : Passwords.hash(password);
    return engine.tx(tx -> {
      requireAccount(tx, accountId);
      User user = tx.findUserByEmail(normalized)
          .orElseGet(() -> tx.insertUser(new User(0, name.strip(), normalized, engine.now()), hash));
      tx.putAccountUser(new AccountUser(accountId, user.id(), role));
      return user;
    });
  }

  /** The agent if it belongs to the account, or {@link NotFoundException}. */
  public User agent(long accountId, long userId) {
    return engine.tx(tx -> {
      tx.findAccountUser(accountId, userId)
          .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
      return tx.findUser(userId).orElseThrow();
    });
  }

  /** The agent's membership (with role) in the account. */
  public AccountUser membership(long accountId, long userId) {
    return engine.tx(tx -> tx.findAccountUser(accountId, userId))
        .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
  }

  public List<AccountUser> agents(long accountId) {
    return engine.tx(tx -> tx.listAccountUsers(accountId));
  }

  /**
   * Renames an agent of the account or changes its email (null leaves a field as it is). As
   * in Chatwoot, a user is one person across the accounts it works in, so a new name shows in
   * each of them. The email is the user's sign-in: it can be changed only while the user is an
   * agent of this account alone, so that no account changes how another account's agent
   * signs in.
   *
   * @throws NotFoundException when the user is not an agent of the account
   * @throws ConflictException when another user has the email, or the user is also an agent
   *     of another account and the email changes
   */
  public User updateAgent(long accountId, long userId, String name, String email) {
    if (name != null) {
      requireText("name", name);
    }
    if (email != null) {
      requireText("email", email);
    }
    String normalized = email == null ? null : email.strip().toLowerCase(java.util.Locale.ROOT);
    return engine.tx(tx -> {
      tx.findAccountUser(accountId, userId)
          .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
      User current = tx.findUser(userId).orElseThrow();
      User updated = new User(userId, name == null ? current.name() : name.strip(),
          normalized == null ? current.email() : normalized, current.createdAt());
      if (!updated.email().equals(current.email())) {
        if (tx.findUserByEmail(updated.email()).isPresent()) {
          throw new ConflictException("another user has the email " + updated.email());
        }
        if (!tx.listAccountIdsOfUser(userId).equals(List.of(accountId))) {
          throw new ConflictException("agent " + userId + " also works in another account; "
              + "its email, which it signs in with, cannot be changed from one account");
        }
      }
      if (!updated.equals(current)) {
        tx.updateUser(updated);
      }
      return updated;
    });
  }

  /** Changes an agent's role in the account. */
  public AccountUser updateAgentRole(long accountId, long userId, Role role) {
    return engine.tx(tx -> {
      tx.findAccountUser(accountId, userId)
          .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
      AccountUser updated = new AccountUser(accountId, userId, role);
      tx.putAccountUser(updated);
      return updated;
    });
  }

  /**
   * Checks an email and password. Returns the user when they match; the same empty answer
   * for an unknown email and a wrong password.
   */
  public Optional<User> authenticate(String email, char[] password) {
    String normalized = email == null ? "" : email.strip().toLowerCase(java.util.Locale.ROOT);
    record Found(User user, String hash) {}
    Optional<Found> found = engine.tx(tx -> tx.findUserByEmail(normalized)
        .map(u -> new Found(u, tx.findPasswordHash(u.id()).orElse(null))));
    // hashed outside the transaction, and as long for an unknown email as for a known one, so
    // that the time taken does not tell which emails have an account
    String hash = found.map(Found::hash).orElse(null);
    boolean matches = Passwords.verify(password, hash != null ? hash : Passwords.unknownUserHash());
    return matches && hash != null ? Optional.of(found.get().user()) : Optional.empty();
  }

  // teams

  /** Creates a team. @throws ConflictException when the account has a team of that name */
  public Team createTeam(long accountId, String name, String description) {
    requireText("name", name);
    return engine.tx(tx -> {
      requireAccount(tx, accountId);
      requireFreeTeamName(tx, accountId, name.strip(), 0);
      return tx.insertTeam(new Team(0, accountId, name.strip(), description, List.of()));
    });
  }

  public Team team(long accountId, long teamId) {
    return engine.tx(tx -> tx.findTeam(accountId, teamId))
        .orElseThrow(() -> new NotFoundException("team", accountId, teamId));
  }

  public List<Team> teams(long accountId) {
    return engine.tx(tx -> tx.listTeams(accountId));
  }

  /**
   * Renames a team or changes its description (null leaves a field as it is).
   *
   * @throws ConflictException when another team of the account has that name
   */
  public Team updateTeam(long accountId, long teamId, String name, String description) {
    if (name != null) {
      requireText("name", name);
    }
    return engine.tx(tx -> {
      Team t = tx.findTeam(accountId, teamId)
          .orElseThrow(() -> new NotFoundException("team", accountId, teamId));
      if (name != null) {
        requireFreeTeamName(tx, accountId, name.strip(), teamId);
      }
      Team updated = new Team(t.id(), accountId, name == null ? t.name() : name.strip(),
          description == null ? t.description() : description, t.memberIds());
      tx.updateTeam(updated);
      return updated;
    });
  }

  private static void requireFreeTeamName(io.switchboard.store.StoreTx tx, long accountId,
      String name, long exceptTeamId) {
    if (tx.listTeams(accountId).stream()
        .anyMatch(t -> t.id() != exceptTeamId && t.name().equals(name))) {
      throw new ConflictException("account " + accountId + " already has a team named " + name);
    }
  }

  /** Adds an agent of the account to a team. */
  public Team addTeamMember(long accountId, long teamId, long userId) {
    return engine.tx(tx -> {
      tx.findTeam(accountId, teamId)
          .orElseThrow(() -> new NotFoundException("team", accountId, teamId));
      tx.findAccountUser(accountId, userId)
          .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
      tx.addTeamMember(accountId, teamId, userId);
      return tx.findTeam(accountId, teamId).orElseThrow();
    });
  }

  // inboxes

  /**
   * Creates an inbox. The channel's provider must be registered on the builder; it checks the
   * settings. Emits {@code inbox.created}.
   */
  public Inbox createInbox(long accountId, InboxDraft draft) {
    requireText("name", draft.name());
    if (draft.channelType() == null) {
      throw new ValidationException("channelType", "is required");
    }
    ChannelProvider provider = provider(draft.channelType());
    Map<String, String> settings = draft.settings() == null ? Map.of() : draft.settings();
    provider.validateSettings(settings);
    String routingKey = provider.routingKey(settings);
    return engine.write(tx -> {
      requireAccount(tx.store(), accountId);
      if (routingKey != null
          && tx.store().findInboxByRoutingKey(draft.channelType(), routingKey).isPresent()) {
        throw new ConflictException("an inbox of channel " + draft.channelType().wireName()
            + " with this routing key already exists");
      }
      String greeting = draft.greetingMessage() == null || draft.greetingMessage().isBlank()
          ? null : draft.greetingMessage();
      Inbox inbox = tx.store().insertInbox(new Inbox(0, accountId, draft.name().strip(),
          draft.channelType(), routingKey, settings,
          Boolean.TRUE.equals(draft.lockToSingleConversation()),
          Boolean.TRUE.equals(draft.allowMessagesAfterResolved()),
          Boolean.TRUE.equals(draft.botEnabled()), greeting, false, tx.now(), tx.now()));
      tx.emit(EventType.INBOX_CREATED, accountId, inbox.id(), null, inbox, Map.of(),
          Actor.system());
      return inbox;
    });
  }

  public Inbox inbox(long accountId, long inboxId) {
    return engine.tx(tx -> tx.findInbox(accountId, inboxId))
        .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
  }

  /**
   * The inbox of {@code channelType} with this routing key (a widget's {@code website_token},
   * a WhatsApp {@code phone_number_id}). Not scoped by account: the key is what a provider or
   * a website presents.
   */
  public Optional<Inbox> findInboxByRoutingKey(ChannelType channelType, String routingKey) {
    if (routingKey == null || routingKey.isBlank()) {
      return Optional.empty();
    }
    return engine.read(tx -> tx.findInboxByRoutingKey(channelType, routingKey));
  }

  public List<Inbox> inboxes(long accountId) {
    return engine.tx(tx -> tx.listInboxes(accountId));
  }

  /**
   * Changes an inbox. Settings are merged key by key and checked by the channel's provider.
   * Emits {@code inbox.updated} with the changed attributes when anything changed. Setting
   * values are never put in events: the inbox in the event has no settings, and the
   * {@code settings} change lists the names of the changed settings as its current value.
   */
  public Inbox updateInbox(long accountId, long inboxId, InboxDraft draft) {
    return engine.write(tx -> {
      Inbox current = tx.store().findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      Map<String, String> settings = new LinkedHashMap<>(current.settings());
      if (draft.settings() != null) {
        draft.settings().forEach((k, v) -> {
          if (v == null) {
            settings.remove(k);
          } else {
            settings.put(k, v);
          }
        });
      }
      ChannelProvider provider = provider(current.channelType());
      provider.validateSettings(settings);
      String routingKey = provider.routingKey(settings);
      if (routingKey != null && !routingKey.equals(current.routingKey())
          && tx.store().findInboxByRoutingKey(current.channelType(), routingKey).isPresent()) {
        throw new ConflictException("an inbox of channel " + current.channelType().wireName()
            + " with this routing key already exists");
      }
      String greeting = draft.greetingMessage() == null ? current.greetingMessage()
          : draft.greetingMessage().isBlank() ? null : draft.greetingMessage();
      Inbox updated = new Inbox(current.id(), accountId,
          draft.name() == null ? current.name() : draft.name(), current.channelType(),
          routingKey, settings,
          orElse(draft.lockToSingleConversation(), current.lockToSingleConversation()),
          orElse(draft.allowMessagesAfterResolved(), current.allowMessagesAfterResolved()),
          orElse(draft.botEnabled(), current.botEnabled()), greeting,
          draft.settings() != null ? false : current.reauthorizationRequired(),
          current.createdAt(), tx.now());
      Map<String, Change> changes = new LinkedHashMap<>();
      diff(changes, "name", current.name(), updated.name());
      diff(changes, "lock_to_single_conversation", current.lockToSingleConversation(),
          updated.lockToSingleConversation());
      diff(changes, "allow_messages_after_resolved", current.allowMessagesAfterResolved(),
          updated.allowMessagesAfterResolved());
      diff(changes, "bot_enabled", current.botEnabled(), updated.botEnabled());
      diff(changes, "greeting_message", current.greetingMessage(), updated.greetingMessage());
      diff(changes, "reauthorization_required", current.reauthorizationRequired(),
          updated.reauthorizationRequired());
      List<String> changedSettings = changedKeys(current.settings(), settings);
      if (!changedSettings.isEmpty()) {
        // the names of the changed settings only: their values may be secrets
        changes.put("settings", new Change(null, changedSettings));
      }
      tx.store().updateInbox(updated);
      if (!changes.isEmpty()) {
        tx.emit(EventType.INBOX_UPDATED, accountId, inboxId, null, updated, changes,
            Actor.system());
      }
      return updated;
    });
  }

  /** Makes an agent of the account a member of the inbox. */
  public void addInboxMember(long accountId, long inboxId, long userId) {
    engine.tx(tx -> {
      tx.findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      tx.findAccountUser(accountId, userId)
          .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
      if (!tx.listInboxMembers(accountId, inboxId).contains(new InboxMember(accountId, inboxId, userId))) {
        tx.addInboxMember(new InboxMember(accountId, inboxId, userId));
      }
      return null;
    });
  }

  public void removeInboxMember(long accountId, long inboxId, long userId) {
    engine.tx(tx -> {
      tx.findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      tx.removeInboxMember(new InboxMember(accountId, inboxId, userId));
      return null;
    });
  }

  public List<InboxMember> inboxMembers(long accountId, long inboxId) {
    return engine.tx(tx -> {
      tx.findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      return tx.listInboxMembers(accountId, inboxId);
    });
  }

  /** The inboxes an agent works: every inbox for an administrator. */
  public List<Long> inboxIdsOf(long accountId, long userId) {
    return engine.tx(tx -> {
      AccountUser au = tx.findAccountUser(accountId, userId)
          .orElseThrow(() -> new NotFoundException("agent", accountId, userId));
      if (au.role() == Role.ADMINISTRATOR) {
        return tx.listInboxes(accountId).stream().map(Inbox::id).toList();
      }
      return tx.listInboxIdsOfUser(accountId, userId);
    });
  }

  private ChannelProvider provider(ChannelType type) {
    ChannelProvider provider = providers.get(type);
    if (provider == null) {
      throw new ValidationException("channelType", "no channel provider registered for '"
          + type.wireName() + "'; registered: "
          + providers.keySet().stream().map(ChannelType::wireName).sorted().toList()
          + ". Register one with Switchboard.builder().channel(...)");
    }
    return provider;
  }

  private static void requireAccount(StoreTx tx, long accountId) {
    tx.findAccount(accountId).orElseThrow(() -> new NotFoundException("account", accountId, accountId));
  }

  static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new ValidationException(field, "is required");
    }
  }

  private static List<String> changedKeys(Map<String, String> before, Map<String, String> after) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
    return List.copyOf(keys);
  }

  private static boolean orElse(Boolean value, boolean current) {
    return value == null ? current : value;
  }

  static void diff(Map<String, Change> changes, String key, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      changes.put(key, new Change(before, after));
    }
  }
}
