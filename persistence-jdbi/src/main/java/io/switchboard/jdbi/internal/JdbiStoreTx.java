package io.switchboard.jdbi.internal;

import io.switchboard.ConversationFilter;
import io.switchboard.internal.Json;
import io.switchboard.model.Account;
import io.switchboard.model.AccountUser;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContactType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.InboxMember;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.Priority;
import io.switchboard.model.Role;
import io.switchboard.model.SenderType;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import io.switchboard.store.EventRecord;
import io.switchboard.store.JobRecord;
import io.switchboard.store.RoutedInbox;
import io.switchboard.store.StoreTx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * One transaction of the JDBI store: plain SQL, every account-owned query scoped by account,
 * run by {@link Sql} on the connection of the transaction's handle.
 *
 * <p>A lookup by a key writes its account condition as {@code account_id + 0 = :a}: still
 * scoped, but never planned on an index that starts with {@code account_id}. PostgreSQL keeps
 * a generic plan per prepared statement, and H2 a plan per connection; planned while the tables
 * are small or their statistics stale (a new database, autovacuum off), {@code account_id = :a
 * AND id = :id} can land on an account index and read every row of the account on each call.
 * With the expression, the key's index is the only one that fits. Queries that list an
 * account's rows keep {@code account_id = :a}, which their indexes lead with.
 */
public final class JdbiStoreTx implements StoreTx {
  private final Handle h;
  private final boolean postgres;

  public JdbiStoreTx(Handle handle, boolean postgres) {
    this.h = handle;
    this.postgres = postgres;
  }

  // ---------------------------------------------------------------- mapping helpers

  private static Instant ts(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static String json(Map<String, ?> map) {
    return Json.write(map == null ? Map.of() : map);
  }

  private long insert(String sql, Map<String, Object> values, String idColumn) {
    return Sql.insert(h.getConnection(), sql, values, idColumn);
  }

  private int update(String sql, Map<String, Object> values) {
    return Sql.update(h.getConnection(), sql, values);
  }

  private static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private <T> Optional<T> one(String sql, Sql.Row<T> mapper, Object... kv) {
    return Sql.one(h.getConnection(), sql, args(kv), mapper);
  }

  private <T> List<T> list(String sql, Sql.Row<T> mapper, Object... kv) {
    return Sql.list(h.getConnection(), sql, args(kv), mapper);
  }

  private String forUpdate() {
    return " FOR UPDATE";
  }

  // ---------------------------------------------------------------- accounts and users

  private static final Sql.Row<Account> ACCOUNT = rs -> new Account(rs.getLong("id"),
      rs.getString("name"), rs.getString("locale"), ts(rs, "created_at"));

  private static final Sql.Row<User> USER = rs -> new User(rs.getLong("id"),
      rs.getString("name"), rs.getString("email"), ts(rs, "created_at"));

  private static final Sql.Row<AccountUser> ACCOUNT_USER = rs -> new AccountUser(
      rs.getLong("account_id"), rs.getLong("user_id"), Role.of(rs.getString("role")));

  @Override
  public Account insertAccount(Account a) {
    long id = insert("INSERT INTO accounts (name, locale, conversation_seq, created_at) "
        + "VALUES (:name, :locale, 0, :created_at)",
        args("name", a.name(), "locale", a.locale(), "created_at", a.createdAt()), "id");
    // H2 commits the open transaction at DDL: this must stay the last statement of the
    // account's creation (AdminService.createAccount runs nothing else in it)
    h.execute(DisplayIds.create(id, 1, postgres));
    return new Account(id, a.name(), a.locale(), a.createdAt());
  }

  @Override
  public Optional<Account> findAccount(long accountId) {
    return one("SELECT * FROM accounts WHERE id = :id", ACCOUNT, "id", accountId);
  }

  @Override
  public List<Account> listAccounts() {
    return list("SELECT * FROM accounts ORDER BY id", ACCOUNT);
  }

  @Override
  public void updateAccount(Account a) {
    update("UPDATE accounts SET name = :name, locale = :locale WHERE id = :id",
        args("name", a.name(), "locale", a.locale(), "id", a.id()));
  }

  @Override
  public long nextDisplayId(long accountId) {
    return Sql.one(h.getConnection(), DisplayIds.next(accountId, postgres), Map.of(),
        rs -> rs.getLong(1)).orElseThrow();
  }

  @Override
  public User insertUser(User u, String passwordHash) {
    long id = insert("INSERT INTO users (name, email, password_hash, created_at) "
        + "VALUES (:name, :email, :hash, :created_at)",
        args("name", u.name(), "email", u.email(), "hash", passwordHash, "created_at",
            u.createdAt()), "id");
    return new User(id, u.name(), u.email(), u.createdAt());
  }

  @Override
  public Optional<User> findUser(long userId) {
    return one("SELECT * FROM users WHERE id = :id", USER, "id", userId);
  }

  @Override
  public Optional<User> findUserByEmail(String email) {
    return one("SELECT * FROM users WHERE email = :email", USER, "email", email);
  }

  @Override
  public void updateUser(User u) {
    update("UPDATE users SET name = :name, email = :email WHERE id = :id",
        args("name", u.name(), "email", u.email(), "id", u.id()));
  }

  @Override
  public List<Long> listAccountIdsOfUser(long userId) {
    return list("SELECT account_id FROM account_users WHERE user_id = :u ORDER BY account_id",
        rs -> rs.getLong(1), "u", userId);
  }

  @Override
  public Optional<String> findPasswordHash(long userId) {
    return one("SELECT password_hash FROM users WHERE id = :id",
        rs -> rs.getString(1), "id", userId);
  }

  @Override
  public void updatePasswordHash(long userId, String passwordHash) {
    update("UPDATE users SET password_hash = :hash WHERE id = :id",
        args("hash", passwordHash, "id", userId));
  }

  @Override
  public void putAccountUser(AccountUser au) {
    int n = update("UPDATE account_users SET role = :role WHERE account_id = :a AND user_id = :u",
        args("role", au.role().wireName(), "a", au.accountId(), "u", au.userId()));
    if (n == 0) {
      update("INSERT INTO account_users (account_id, user_id, role) VALUES (:a, :u, :role)",
          args("a", au.accountId(), "u", au.userId(), "role", au.role().wireName()));
    }
  }

  @Override
  public Optional<AccountUser> findAccountUser(long accountId, long userId) {
    return one("SELECT * FROM account_users WHERE account_id = :a AND user_id = :u",
        ACCOUNT_USER, "a", accountId, "u", userId);
  }

  @Override
  public List<AccountUser> listAccountUsers(long accountId) {
    return list("SELECT * FROM account_users WHERE account_id = :a ORDER BY user_id",
        ACCOUNT_USER, "a", accountId);
  }

  // ---------------------------------------------------------------- teams

  private Team team(ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    long accountId = rs.getLong("account_id");
    return new Team(id, accountId, rs.getString("name"), rs.getString("description"), List.of());
  }

  private Team withMembers(Team t) {
    List<Long> members = list("SELECT user_id FROM team_members WHERE account_id = :a AND "
        + "team_id = :t ORDER BY user_id", rs -> rs.getLong(1), "a", t.accountId(),
        "t", t.id());
    return new Team(t.id(), t.accountId(), t.name(), t.description(), members);
  }

  @Override
  public Team insertTeam(Team t) {
    long id = insert("INSERT INTO teams (account_id, name, description) VALUES (:a, :n, :d)",
        args("a", t.accountId(), "n", t.name(), "d", t.description()), "id");
    return new Team(id, t.accountId(), t.name(), t.description(), List.of());
  }

  @Override
  public Optional<Team> findTeam(long accountId, long teamId) {
    return one("SELECT * FROM teams WHERE id = :id AND account_id + 0 = :a",
        rs -> team(rs), "a", accountId, "id", teamId).map(this::withMembers);
  }

  @Override
  public List<Team> listTeams(long accountId) {
    return list("SELECT * FROM teams WHERE account_id = :a ORDER BY id", rs -> team(rs),
        "a", accountId).stream().map(this::withMembers).toList();
  }

  @Override
  public void updateTeam(Team t) {
    update("UPDATE teams SET name = :n, description = :d WHERE id = :id AND account_id + 0 = :a",
        args("n", t.name(), "d", t.description(), "a", t.accountId(), "id", t.id()));
  }

  @Override
  public void addTeamMember(long accountId, long teamId, long userId) {
    if (one("SELECT 1 FROM team_members WHERE team_id = :t AND user_id = :u",
        rs -> 1, "t", teamId, "u", userId).isEmpty()) {
      update("INSERT INTO team_members (account_id, team_id, user_id) VALUES (:a, :t, :u)",
          args("a", accountId, "t", teamId, "u", userId));
    }
  }

  // ---------------------------------------------------------------- inboxes

  private static final Sql.Row<Inbox> INBOX = rs -> new Inbox(rs.getLong("id"),
      rs.getLong("account_id"), rs.getString("name"), ChannelType.of(rs.getString("channel_type")),
      rs.getString("routing_key"), Json.readStringMap(rs.getString("settings")),
      rs.getBoolean("lock_to_single_conversation"), rs.getBoolean("allow_messages_after_resolved"),
      rs.getBoolean("bot_enabled"), rs.getString("greeting_message"),
      rs.getBoolean("reauthorization_required"), ts(rs, "created_at"), ts(rs, "updated_at"));

  private static Map<String, Object> inboxArgs(Inbox i) {
    return args("a", i.accountId(), "name", i.name(), "channel", i.channelType().wireName(),
        "routing", i.routingKey(), "settings", json(i.settings()),
        "lock", i.lockToSingleConversation(), "allow", i.allowMessagesAfterResolved(),
        "bot", i.botEnabled(), "greeting", i.greetingMessage(),
        "reauth", i.reauthorizationRequired(), "created_at", i.createdAt(),
        "updated_at", i.updatedAt());
  }

  @Override
  public Inbox insertInbox(Inbox i) {
    long id = insert("INSERT INTO inboxes (account_id, name, channel_type, routing_key, settings, "
        + "lock_to_single_conversation, allow_messages_after_resolved, bot_enabled, "
        + "greeting_message, reauthorization_required, created_at, updated_at) VALUES (:a, :name, "
        + ":channel, :routing, :settings, :lock, :allow, :bot, :greeting, :reauth, :created_at, "
        + ":updated_at)", inboxArgs(i), "id");
    return findInbox(i.accountId(), id).orElseThrow();
  }

  @Override
  public Optional<Inbox> findInbox(long accountId, long inboxId) {
    return one("SELECT * FROM inboxes WHERE id = :id AND account_id + 0 = :a", INBOX,
        "a", accountId, "id", inboxId);
  }

  @Override
  public Optional<Inbox> findInboxByRoutingKey(ChannelType channelType, String routingKey) {
    return one("SELECT * FROM inboxes WHERE channel_type = :c AND routing_key = :k", INBOX,
        "c", channelType.wireName(), "k", routingKey);
  }

  @Override
  public Optional<RoutedInbox> findRoutedInbox(ChannelType channelType, String routingKey) {
    return one("SELECT i.*, EXISTS (SELECT 1 FROM webhooks w WHERE w.account_id = i.account_id) "
        + "AS account_webhooks, EXISTS (SELECT 1 FROM agent_bots b WHERE b.inbox_id = i.id "
        + "AND b.account_id + 0 = i.account_id) AS inbox_bot FROM inboxes i "
        + "WHERE i.channel_type = :c AND i.routing_key = :k",
        rs -> new RoutedInbox(INBOX.map(rs), rs.getBoolean("account_webhooks"),
            rs.getBoolean("inbox_bot")),
        "c", channelType.wireName(), "k", routingKey);
  }

  @Override
  public List<Inbox> listInboxes(long accountId) {
    return list("SELECT * FROM inboxes WHERE account_id = :a ORDER BY id", INBOX, "a", accountId);
  }

  @Override
  public void updateInbox(Inbox i) {
    Map<String, Object> a = inboxArgs(i);
    a.put("id", i.id());
    update("UPDATE inboxes SET name = :name, routing_key = :routing, settings = :settings, "
        + "lock_to_single_conversation = :lock, allow_messages_after_resolved = :allow, "
        + "bot_enabled = :bot, greeting_message = :greeting, reauthorization_required = :reauth, "
        + "updated_at = :updated_at WHERE id = :id AND account_id + 0 = :a", a);
  }

  @Override
  public void addInboxMember(InboxMember m) {
    update("INSERT INTO inbox_members (account_id, inbox_id, user_id) VALUES (:a, :i, :u)",
        args("a", m.accountId(), "i", m.inboxId(), "u", m.userId()));
  }

  @Override
  public void removeInboxMember(InboxMember m) {
    update("DELETE FROM inbox_members WHERE account_id = :a AND inbox_id = :i AND user_id = :u",
        args("a", m.accountId(), "i", m.inboxId(), "u", m.userId()));
  }

  @Override
  public List<InboxMember> listInboxMembers(long accountId, long inboxId) {
    return list("SELECT * FROM inbox_members WHERE account_id = :a AND inbox_id = :i "
        + "ORDER BY user_id", rs -> new InboxMember(rs.getLong("account_id"),
        rs.getLong("inbox_id"), rs.getLong("user_id")), "a", accountId, "i", inboxId);
  }

  @Override
  public List<Long> listInboxIdsOfUser(long accountId, long userId) {
    return list("SELECT inbox_id FROM inbox_members WHERE account_id = :a AND user_id = :u "
        + "ORDER BY inbox_id", rs -> rs.getLong(1), "a", accountId, "u", userId);
  }

  // ---------------------------------------------------------------- contacts

  private static final Sql.Row<Contact> CONTACT = rs -> new Contact(rs.getLong("id"),
      rs.getLong("account_id"), rs.getString("name"), rs.getString("email"),
      rs.getString("phone_number"), rs.getString("identifier"),
      ContactType.of(rs.getString("contact_type")),
      Json.readMap(rs.getString("additional_attributes")),
      Json.readMap(rs.getString("custom_attributes")), rs.getBoolean("blocked"),
      ts(rs, "last_activity_at"), ts(rs, "created_at"), ts(rs, "updated_at"));

  private static Map<String, Object> contactArgs(Contact c) {
    return args("a", c.accountId(), "name", c.name(), "email", c.email(),
        "phone", c.phoneNumber(), "identifier", c.identifier(),
        "type", c.contactType().wireName(), "additional", json(c.additionalAttributes()),
        "custom", json(c.customAttributes()), "blocked", c.blocked(),
        "last_activity_at", c.lastActivityAt(), "created_at", c.createdAt(),
        "updated_at", c.updatedAt());
  }

  @Override
  public Contact insertContact(Contact c) {
    Map<String, Object> a = contactArgs(c);
    long id = insert("INSERT INTO contacts (account_id, name, email, phone_number, identifier, "
        + "contact_type, additional_attributes, custom_attributes, blocked, last_activity_at, "
        + "created_at, updated_at) VALUES (:a, :name, :email, :phone, :identifier, :type, "
        + ":additional, :custom, :blocked, :last_activity_at, :created_at, :updated_at)",
        a, "id");
    // the record as a read returns it, without reading it: the attribute maps read back from
    // the JSON just written (whole numbers as Long), every other column as written
    return new Contact(id, c.accountId(), c.name(), c.email(), c.phoneNumber(), c.identifier(),
        c.contactType(), Json.readMap((String) a.get("additional")),
        Json.readMap((String) a.get("custom")), c.blocked(), c.lastActivityAt(), c.createdAt(),
        c.updatedAt());
  }

  @Override
  public Optional<Contact> findContact(long accountId, long contactId) {
    return one("SELECT * FROM contacts WHERE id = :id AND account_id + 0 = :a", CONTACT,
        "a", accountId, "id", contactId);
  }

  @Override
  public Optional<Contact> lockContact(long accountId, long contactId) {
    return one("SELECT * FROM contacts WHERE id = :id AND account_id + 0 = :a" + forUpdate(),
        CONTACT, "a", accountId, "id", contactId);
  }

  @Override
  public Optional<Contact> findContactByEmail(long accountId, String email) {
    return one("SELECT * FROM contacts WHERE account_id = :a AND email = :v", CONTACT,
        "a", accountId, "v", email);
  }

  @Override
  public Optional<Contact> findContactByIdentifier(long accountId, String identifier) {
    return one("SELECT * FROM contacts WHERE account_id = :a AND identifier = :v", CONTACT,
        "a", accountId, "v", identifier);
  }

  @Override
  public Optional<Contact> findContactByPhone(long accountId, String phoneNumber) {
    return one("SELECT * FROM contacts WHERE account_id = :a AND phone_number = :v "
        + "ORDER BY id", CONTACT, "a", accountId, "v", phoneNumber);
  }

  @Override
  public List<Contact> listContacts(long accountId, long afterId, int limit) {
    return list("SELECT * FROM contacts WHERE account_id = :a AND id > :after ORDER BY id "
        + "LIMIT :limit", CONTACT, "a", accountId, "after", afterId, "limit", limit);
  }

  @Override
  public void updateContact(Contact c) {
    Map<String, Object> a = contactArgs(c);
    a.put("id", c.id());
    update("UPDATE contacts SET name = :name, email = :email, phone_number = :phone, "
        + "identifier = :identifier, contact_type = :type, additional_attributes = :additional, "
        + "custom_attributes = :custom, blocked = :blocked, last_activity_at = :last_activity_at, "
        + "updated_at = :updated_at WHERE id = :id AND account_id + 0 = :a", a);
  }

  @Override
  public void touchContact(Contact c, Instant lastActivityAt) {
    update("UPDATE contacts SET last_activity_at = :t WHERE id = :id AND account_id + 0 = :a",
        args("t", lastActivityAt, "a", c.accountId(), "id", c.id()));
  }

  @Override
  public void deleteContact(long accountId, long contactId) {
    update("DELETE FROM contacts WHERE id = :id AND account_id + 0 = :a",
        args("a", accountId, "id", contactId));
  }

  private static final Sql.Row<ContactInbox> CONTACT_INBOX = rs -> new ContactInbox(
      rs.getLong("id"), rs.getLong("account_id"), rs.getLong("contact_id"),
      rs.getLong("inbox_id"), rs.getString("source_id"), rs.getString("pubsub_token"),
      rs.getBoolean("hmac_verified"), ts(rs, "created_at"), ts(rs, "blocked_at"));

  @Override
  public ContactInbox insertContactInbox(ContactInbox ci) {
    long id = insert("INSERT INTO contact_inboxes (account_id, contact_id, inbox_id, source_id, "
        + "pubsub_token, hmac_verified, created_at, blocked_at) VALUES (:a, :contact, :inbox, "
        + ":source, :token, :verified, :created_at, :blocked_at)",
        args("a", ci.accountId(), "contact", ci.contactId(), "inbox", ci.inboxId(),
            "source", ci.sourceId(), "token", ci.pubsubToken(), "verified", ci.hmacVerified(),
            "created_at", ci.createdAt(), "blocked_at", ci.blockedAt()), "id");
    return new ContactInbox(id, ci.accountId(), ci.contactId(), ci.inboxId(), ci.sourceId(),
        ci.pubsubToken(), ci.hmacVerified(), ci.createdAt(), ci.blockedAt());
  }

  @Override
  public Optional<ContactInbox> findContactInbox(long accountId, long contactInboxId) {
    return one("SELECT * FROM contact_inboxes WHERE id = :id AND account_id + 0 = :a",
        CONTACT_INBOX, "a", accountId, "id", contactInboxId);
  }

  @Override
  public Optional<ContactInbox> findContactInboxBySourceId(long accountId, long inboxId,
      String sourceId) {
    return one("SELECT * FROM contact_inboxes WHERE inbox_id = :i AND source_id = :s "
        + "AND account_id + 0 = :a", CONTACT_INBOX, "a", accountId, "i", inboxId, "s", sourceId);
  }

  @Override
  public Optional<ContactInbox> findContactInboxByPubsubToken(String pubsubToken) {
    return one("SELECT * FROM contact_inboxes WHERE pubsub_token = :t", CONTACT_INBOX,
        "t", pubsubToken);
  }

  @Override
  public Optional<ContactInbox> lockContactInboxBySourceId(long accountId, long inboxId,
      String sourceId) {
    return one("SELECT * FROM contact_inboxes WHERE inbox_id = :i AND source_id = :s "
        + "AND account_id + 0 = :a" + forUpdate(), CONTACT_INBOX,
        "a", accountId, "i", inboxId, "s", sourceId);
  }

  // Batch reads (PostgreSQL): one index lookup per key, as the single statements do. An
  // "= ANY(array)" condition was planned on the inbox alone (every contact inbox of the inbox
  // read); unnest with a LATERAL lookup on the unique key is planned as lookups.

  private java.sql.Array array(String type, Object[] values) {
    try {
      return h.getConnection().createArrayOf(type, values);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not bind an array: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Map<String, ContactInbox>> lockContactInboxesBySourceIds(long accountId,
      long inboxId, List<String> sourceIds) {
    if (!postgres) {
      return Optional.empty();
    }
    Map<String, ContactInbox> found = new java.util.HashMap<>();
    for (ContactInbox ci : list("SELECT ci.* FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS k(s, n) "
        + "CROSS JOIN LATERAL (SELECT * FROM contact_inboxes WHERE inbox_id = :i "
        + "AND source_id = k.s AND account_id + 0 = :a LIMIT 1 FOR UPDATE) ci ORDER BY k.n",
        CONTACT_INBOX, "keys", array("text", sourceIds.toArray()), "i", inboxId,
        "a", accountId)) {
      found.put(ci.sourceId(), ci);
    }
    return Optional.of(found);
  }

  @Override
  public Optional<java.util.Set<String>> findMessageSourceIds(long accountId, long inboxId,
      List<String> sourceIds) {
    if (!postgres) {
      return Optional.empty();
    }
    return Optional.of(new java.util.HashSet<>(list("SELECT m.source_id FROM unnest(CAST(:keys AS text[])) "
        + "AS k(s) CROSS JOIN LATERAL (SELECT source_id FROM messages WHERE inbox_id = :i "
        + "AND source_id = k.s AND account_id + 0 = :a LIMIT 1) m", rs -> rs.getString(1),
        "keys", array("text", sourceIds.toArray()), "i", inboxId, "a", accountId)));
  }

  @Override
  public Optional<Map<Long, Contact>> findContacts(long accountId, List<Long> contactIds) {
    if (!postgres) {
      return Optional.empty();
    }
    Map<Long, Contact> found = new java.util.HashMap<>();
    for (Contact c : list("SELECT c.* FROM unnest(CAST(:keys AS bigint[])) AS k(id) CROSS JOIN LATERAL "
        + "(SELECT * FROM contacts WHERE id = k.id AND account_id + 0 = :a) c", CONTACT,
        "keys", array("bigint", contactIds.toArray()), "a", accountId)) {
      found.put(c.id(), c);
    }
    return Optional.of(found);
  }

  @Override
  public Optional<Map<Long, Conversation>> lockLatestConversations(long accountId,
      List<Long> contactInboxIds, boolean includeResolved) {
    if (!postgres) {
      return Optional.empty();
    }
    Map<Long, Conversation> found = new java.util.HashMap<>();
    for (Conversation c : list("SELECT cv.* FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS k(id, n) "
        + "CROSS JOIN LATERAL (SELECT * FROM conversations WHERE contact_inbox_id = k.id "
        + "AND account_id + 0 = :a" + (includeResolved ? "" : " AND status <> 'resolved'")
        + " ORDER BY id DESC LIMIT 1 FOR UPDATE) cv ORDER BY k.n", CONVERSATION,
        "keys", array("bigint", contactInboxIds.toArray()), "a", accountId)) {
      found.put(c.contactInboxId(), c);
    }
    return Optional.of(found);
  }

  @Override
  public Optional<ContactInbox> lockContactInbox(long accountId, long contactInboxId) {
    return one("SELECT * FROM contact_inboxes WHERE id = :id AND account_id + 0 = :a" + forUpdate(),
        CONTACT_INBOX, "a", accountId, "id", contactInboxId);
  }

  @Override
  public List<ContactInbox> listContactInboxes(long accountId, long contactId) {
    return list("SELECT * FROM contact_inboxes WHERE account_id = :a AND contact_id = :c "
        + "ORDER BY id", CONTACT_INBOX, "a", accountId, "c", contactId);
  }

  @Override
  public void updateContactInbox(ContactInbox ci) {
    update("UPDATE contact_inboxes SET contact_id = :contact, hmac_verified = :verified, "
        + "blocked_at = :blocked_at WHERE id = :id AND account_id + 0 = :a",
        args("contact", ci.contactId(), "verified", ci.hmacVerified(),
            "blocked_at", ci.blockedAt(), "a", ci.accountId(), "id", ci.id()));
  }

  @Override
  public void reassignContact(long accountId, long fromContactId, long toContactId) {
    Map<String, Object> a = args("a", accountId, "from", fromContactId, "to", toContactId);
    update("UPDATE contact_inboxes SET contact_id = :to WHERE account_id = :a "
        + "AND contact_id = :from", a);
    update("UPDATE conversations SET contact_id = :to WHERE account_id = :a "
        + "AND contact_id = :from", a);
    update("UPDATE messages SET sender_id = :to WHERE account_id = :a AND sender_type = "
        + "'contact' AND sender_id = :from", a);
  }

  @Override
  public void reassignContactInbox(long accountId, long contactInboxId, long fromContactId,
      long toContactId) {
    Map<String, Object> a = args("a", accountId, "ci", contactInboxId, "from", fromContactId,
        "to", toContactId);
    update("UPDATE messages SET sender_id = :to WHERE account_id = :a AND sender_type = "
        + "'contact' AND sender_id = :from AND conversation_id IN (SELECT id FROM conversations "
        + "WHERE contact_inbox_id = :ci AND account_id + 0 = :a)", a);
    update("UPDATE conversations SET contact_id = :to WHERE contact_inbox_id = :ci "
        + "AND account_id + 0 = :a", a);
    update("UPDATE contact_inboxes SET contact_id = :to WHERE id = :ci AND account_id + 0 = :a "
        + "AND contact_id = :from", a);
  }

  // ---------------------------------------------------------------- conversations

  private static final Sql.Row<Conversation> CONVERSATION = rs -> new Conversation(
      rs.getLong("id"), rs.getLong("account_id"), rs.getLong("inbox_id"),
      rs.getLong("contact_id"), rs.getLong("contact_inbox_id"), rs.getString("uuid"),
      rs.getLong("display_id"), ConversationStatus.of(rs.getString("status")),
      rs.getString("priority") == null ? null : Priority.of(rs.getString("priority")),
      nullableLong(rs, "assignee_id"), nullableLong(rs, "team_id"),
      labels(rs.getString("labels")), ts(rs, "snoozed_until"), ts(rs, "waiting_since"),
      ts(rs, "first_reply_created_at"), ts(rs, "last_activity_at"),
      Json.readMap(rs.getString("additional_attributes")),
      Json.readMap(rs.getString("custom_attributes")), ts(rs, "created_at"),
      ts(rs, "updated_at"));

  private static List<String> labels(String stored) {
    return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
  }

  private static Map<String, Object> conversationArgs(Conversation c) {
    return args("a", c.accountId(), "inbox", c.inboxId(), "contact", c.contactId(),
        "contact_inbox", c.contactInboxId(), "uuid", c.uuid(), "display", c.displayId(),
        "status", c.status().wireName(),
        "priority", c.priority() == null ? null : c.priority().wireName(),
        "assignee", c.assigneeId(), "team", c.teamId(), "labels", String.join(",", c.labels()),
        "snoozed_until", c.snoozedUntil(), "waiting_since", c.waitingSince(),
        "first_reply", c.firstReplyCreatedAt(), "last_activity", c.lastActivityAt(),
        "additional", json(c.additionalAttributes()), "custom", json(c.customAttributes()),
        "created_at", c.createdAt(), "updated_at", c.updatedAt());
  }

  @Override
  public Conversation insertConversation(Conversation c) {
    Map<String, Object> a = conversationArgs(c);
    long id = insert("INSERT INTO conversations (account_id, inbox_id, contact_id, "
        + "contact_inbox_id, uuid, display_id, status, priority, assignee_id, team_id, labels, "
        + "snoozed_until, waiting_since, first_reply_created_at, last_activity_at, "
        + "additional_attributes, custom_attributes, created_at, updated_at) VALUES (:a, :inbox, "
        + ":contact, :contact_inbox, :uuid, :display, :status, :priority, :assignee, :team, "
        + ":labels, :snoozed_until, :waiting_since, :first_reply, :last_activity, :additional, "
        + ":custom, :created_at, :updated_at)", a, "id");
    // a new conversation has no label rows to replace
    insertLabels(c.accountId(), id, c.labels());
    // the record as a read returns it, from the values just written
    return new Conversation(id, c.accountId(), c.inboxId(), c.contactId(), c.contactInboxId(),
        c.uuid(), c.displayId(), c.status(), c.priority(), c.assigneeId(), c.teamId(),
        labels((String) a.get("labels")), c.snoozedUntil(), c.waitingSince(),
        c.firstReplyCreatedAt(), c.lastActivityAt(), Json.readMap((String) a.get("additional")),
        Json.readMap((String) a.get("custom")), c.createdAt(), c.updatedAt());
  }

  private void writeLabels(long accountId, long conversationId, List<String> labels) {
    update("DELETE FROM conversation_labels WHERE conversation_id = :c AND account_id + 0 = :a",
        args("a", accountId, "c", conversationId));
    insertLabels(accountId, conversationId, labels);
  }

  private void insertLabels(long accountId, long conversationId, List<String> labels) {
    for (String label : labels) {
      update("INSERT INTO conversation_labels (account_id, conversation_id, label) "
          + "VALUES (:a, :c, :l)", args("a", accountId, "c", conversationId, "l", label));
    }
  }

  @Override
  public Optional<Conversation> findConversation(long accountId, long conversationId) {
    return one("SELECT * FROM conversations WHERE id = :id AND account_id + 0 = :a", CONVERSATION,
        "a", accountId, "id", conversationId);
  }

  @Override
  public Optional<Conversation> findConversationByUuid(long accountId, String uuid) {
    return one("SELECT * FROM conversations WHERE uuid = :u AND account_id + 0 = :a", CONVERSATION,
        "a", accountId, "u", uuid);
  }

  @Override
  public Optional<Conversation> findConversationByDisplayId(long accountId, long displayId) {
    return one("SELECT * FROM conversations WHERE account_id = :a AND display_id = :d",
        CONVERSATION, "a", accountId, "d", displayId);
  }

  @Override
  public Optional<Conversation> lockConversation(long accountId, long conversationId) {
    return one("SELECT * FROM conversations WHERE id = :id AND account_id + 0 = :a" + forUpdate(),
        CONVERSATION, "a", accountId, "id", conversationId);
  }

  @Override
  public Optional<Conversation> findLatestConversation(long accountId, long contactInboxId,
      boolean includeResolved) {
    return latestConversation(accountId, contactInboxId, includeResolved, "");
  }

  @Override
  public Optional<Conversation> lockLatestConversation(long accountId, long contactInboxId,
      boolean includeResolved) {
    return latestConversation(accountId, contactInboxId, includeResolved, forUpdate());
  }

  private Optional<Conversation> latestConversation(long accountId, long contactInboxId,
      boolean includeResolved, String lock) {
    return one("SELECT * FROM conversations WHERE contact_inbox_id = :ci AND account_id + 0 = :a"
        + (includeResolved ? "" : " AND status <> 'resolved'") + " ORDER BY id DESC LIMIT 1"
        + lock, CONVERSATION, "a", accountId, "ci", contactInboxId);
  }

  @Override
  public List<Conversation> queryConversations(long accountId, ConversationFilter f,
      Instant afterActivity, long afterId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM conversations c WHERE c.account_id = :a");
    Map<String, Object> a = args("a", accountId, "limit", limit);
    if (!f.statuses().isEmpty()) {
      sql.append(" AND c.status IN (").append(f.statuses().stream()
          .map(s -> "'" + s.wireName() + "'").sorted().collect(Collectors.joining(", ")))
          .append(")");
    }
    if (f.inboxId() != null) {
      sql.append(" AND c.inbox_id = :inbox");
      a.put("inbox", f.inboxId());
    }
    if (f.inboxIds() != null) {
      if (f.inboxIds().isEmpty()) {
        return List.of();
      }
      sql.append(" AND c.inbox_id IN (").append(f.inboxIds().stream().sorted()
          .map(String::valueOf).collect(Collectors.joining(", "))).append(")");
    }
    if (f.assigneeId() != null) {
      sql.append(" AND c.assignee_id = :assignee");
      a.put("assignee", f.assigneeId());
    }
    if (f.unassigned()) {
      sql.append(" AND c.assignee_id IS NULL");
    }
    if (f.teamId() != null) {
      sql.append(" AND c.team_id = :team");
      a.put("team", f.teamId());
    }
    if (f.label() != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM conversation_labels l WHERE l.account_id = :a "
          + "AND l.conversation_id = c.id AND l.label = :label)");
      a.put("label", f.label().strip().toLowerCase(java.util.Locale.ROOT));
    }
    if (afterActivity != null) {
      sql.append(" AND (c.last_activity_at < :after_at OR (c.last_activity_at = :after_at "
          + "AND c.id < :after_id))");
      a.put("after_at", afterActivity);
      a.put("after_id", afterId);
    }
    sql.append(" ORDER BY c.last_activity_at DESC, c.id DESC LIMIT :limit");
    return Sql.list(h.getConnection(), sql.toString(), a, CONVERSATION);
  }

  @Override
  public List<Conversation> listSnoozeExpired(Instant now, int limit) {
    return list("SELECT * FROM conversations WHERE status = 'snoozed' AND snoozed_until <= :now "
        + "ORDER BY snoozed_until, id LIMIT :limit", CONVERSATION, "now", now, "limit", limit);
  }

  @Override
  public void updateConversation(Conversation c) {
    Map<String, Object> a = conversationArgs(c);
    a.put("id", c.id());
    update("UPDATE conversations SET contact_id = :contact, status = :status, "
        + "priority = :priority, assignee_id = :assignee, team_id = :team, "
        + "snoozed_until = :snoozed_until, waiting_since = :waiting_since, "
        + "first_reply_created_at = :first_reply, last_activity_at = :last_activity, "
        + "additional_attributes = :additional, custom_attributes = :custom, "
        + "updated_at = :updated_at WHERE id = :id AND account_id + 0 = :a", a);
  }

  @Override
  public void updateConversationActivity(Conversation c) {
    update("UPDATE conversations SET waiting_since = :waiting_since, "
        + "first_reply_created_at = :first_reply, last_activity_at = :last_activity, "
        + "updated_at = :updated_at WHERE id = :id AND account_id + 0 = :a",
        args("waiting_since", c.waitingSince(), "first_reply", c.firstReplyCreatedAt(),
            "last_activity", c.lastActivityAt(), "updated_at", c.updatedAt(),
            "a", c.accountId(), "id", c.id()));
  }

  @Override
  public void setConversationLabels(long accountId, long conversationId, List<String> labels) {
    update("UPDATE conversations SET labels = :labels WHERE id = :id AND account_id + 0 = :a",
        args("labels", String.join(",", labels), "a", accountId, "id", conversationId));
    writeLabels(accountId, conversationId, labels);
  }

  // ---------------------------------------------------------------- messages

  private static final Sql.Row<Message> MESSAGE = rs -> new Message(rs.getLong("id"),
      rs.getLong("account_id"), rs.getLong("inbox_id"), rs.getLong("conversation_id"),
      MessageType.of(rs.getString("message_type")), ContentType.of(rs.getString("content_type")),
      rs.getString("content"), Json.readMap(rs.getString("content_attributes")),
      rs.getBoolean("private"), MessageStatus.of(rs.getString("status")),
      rs.getString("source_id"), SenderType.of(rs.getString("sender_type")),
      nullableLong(rs, "sender_id"), List.of(), ts(rs, "created_at"), ts(rs, "updated_at"));

  private static final Sql.Row<Attachment> ATTACHMENT = rs -> new Attachment(
      rs.getLong("id"), rs.getLong("account_id"), rs.getLong("message_id"),
      AttachmentType.of(rs.getString("file_type")), rs.getString("external_url"),
      rs.getString("blob_key"), rs.getString("file_name"), rs.getString("content_type"),
      nullableLong(rs, "file_size"), nullableDouble(rs, "latitude"),
      nullableDouble(rs, "longitude"), Json.readMap(rs.getString("meta")));

  @Override
  public Message insertMessage(Message m) {
    return insertMessage("", args(), m);
  }

  /**
   * On PostgreSQL, one statement: the conversation's and the sender's updates ride along the
   * message's insert as data-modifying parts of its {@code WITH} clause (each touches other
   * rows than the insert, so their order within the statement does not matter).
   */
  @Override
  public Message insertMessageWithActivity(Message m, Conversation c, Contact sender) {
    if (!postgres) {
      return StoreTx.super.insertMessageWithActivity(m, c, sender);
    }
    Map<String, Object> values = args("cv_waiting_since", c.waitingSince(),
        "cv_first_reply", c.firstReplyCreatedAt(), "cv_last_activity", c.lastActivityAt(),
        "cv_updated_at", c.updatedAt(), "cv_a", c.accountId(), "cv_id", c.id());
    StringBuilder with = new StringBuilder("WITH cv AS (UPDATE conversations SET "
        + "waiting_since = :cv_waiting_since, first_reply_created_at = :cv_first_reply, "
        + "last_activity_at = :cv_last_activity, updated_at = :cv_updated_at "
        + "WHERE id = :cv_id AND account_id + 0 = :cv_a)");
    if (sender != null) {
      with.append(", ct AS (UPDATE contacts SET last_activity_at = :ct_t "
          + "WHERE id = :ct_id AND account_id + 0 = :ct_a)");
      values.put("ct_t", m.createdAt());
      values.put("ct_id", sender.id());
      values.put("ct_a", sender.accountId());
    }
    return insertMessage(with.append(' ').toString(), values, m);
  }

  /** Inserts the message, after {@code with} (a {@code WITH} clause and its values, or none). */
  private Message insertMessage(String with, Map<String, Object> values, Message m) {
    values.putAll(args("a", m.accountId(), "inbox", m.inboxId(),
        "conversation", m.conversationId(), "type", m.messageType().wireName(),
        "content_type", m.contentType().wireName(), "content", m.content(),
        "attributes", json(m.contentAttributes()), "private", m.privateNote(),
        "status", m.status().wireName(), "source", m.sourceId(),
        "sender_type", m.senderType().wireName(), "sender", m.senderId(),
        "created_at", m.createdAt(), "updated_at", m.updatedAt()));
    long id = insert(with + "INSERT INTO messages (account_id, inbox_id, conversation_id, "
        + "message_type, content_type, content, content_attributes, private, status, source_id, "
        + "sender_type, sender_id, created_at, updated_at) VALUES (:a, :inbox, :conversation, "
        + ":type, :content_type, :content, :attributes, :private, :status, :source, "
        + ":sender_type, :sender, :created_at, :updated_at)", values, "id");
    List<Attachment> stored = new ArrayList<>();
    for (Attachment a : m.attachments()) {
      long aid = insert("INSERT INTO attachments (account_id, message_id, file_type, "
          + "external_url, blob_key, file_name, content_type, file_size, latitude, longitude, "
          + "meta) VALUES (:a, :m, :type, :url, :blob, :name, :ct, :size, :lat, :lon, :meta)",
          args("a", m.accountId(), "m", id, "type", a.fileType().wireName(),
              "url", a.externalUrl(), "blob", a.blobKey(), "name", a.fileName(),
              "ct", a.contentType(), "size", a.fileSize(), "lat", a.latitude(),
              "lon", a.longitude(), "meta", json(a.meta())), "id");
      stored.add(new Attachment(aid, m.accountId(), id, a.fileType(), a.externalUrl(),
          a.blobKey(), a.fileName(), a.contentType(), a.fileSize(), a.latitude(),
          a.longitude(), a.meta()));
    }
    return new Message(id, m.accountId(), m.inboxId(), m.conversationId(), m.messageType(),
        m.contentType(), m.content(), m.contentAttributes(), m.privateNote(), m.status(),
        m.sourceId(), m.senderType(), m.senderId(), stored, m.createdAt(), m.updatedAt());
  }

  private List<Message> withAttachments(long accountId, List<Message> messages) {
    if (messages.isEmpty()) {
      return messages;
    }
    Map<Long, List<Attachment>> byMessage = new LinkedHashMap<>();
    // one message (the common case) in a statement of fixed text, which the database plans once
    List<Attachment> found = messages.size() == 1
        ? list("SELECT * FROM attachments WHERE account_id = :a AND message_id = :m ORDER BY id",
            ATTACHMENT, "a", accountId, "m", messages.get(0).id())
        : list("SELECT * FROM attachments WHERE account_id = :a AND message_id IN ("
            + messages.stream().map(m -> Long.toString(m.id())).collect(Collectors.joining(", "))
            + ") ORDER BY id", ATTACHMENT, "a", accountId);
    for (Attachment a : found) {
      byMessage.computeIfAbsent(a.messageId(), k -> new ArrayList<>()).add(a);
    }
    if (byMessage.isEmpty()) {
      return messages;
    }
    List<Message> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      List<Attachment> atts = byMessage.get(m.id());
      out.add(atts == null ? m : new Message(m.id(), m.accountId(), m.inboxId(),
          m.conversationId(), m.messageType(), m.contentType(), m.content(),
          m.contentAttributes(), m.privateNote(), m.status(), m.sourceId(), m.senderType(),
          m.senderId(), atts, m.createdAt(), m.updatedAt()));
    }
    return out;
  }

  private Optional<Message> oneMessage(long accountId, Optional<Message> m) {
    return m.map(x -> withAttachments(accountId, List.of(x)).get(0));
  }

  @Override
  public Optional<Message> findMessage(long accountId, long messageId) {
    return oneMessage(accountId, one("SELECT * FROM messages WHERE id = :id AND account_id + 0 = :a",
        MESSAGE, "a", accountId, "id", messageId));
  }

  @Override
  public Optional<Message> findMessageBySourceId(long accountId, long inboxId, String sourceId) {
    return oneMessage(accountId, one("SELECT * FROM messages WHERE inbox_id = :i AND "
        + "source_id = :s AND account_id + 0 = :a", MESSAGE, "a", accountId, "i", inboxId,
        "s", sourceId));
  }

  @Override
  public void updateMessage(Message m) {
    update("UPDATE messages SET content = :content, content_attributes = :attributes, "
        + "status = :status, source_id = :source, updated_at = :updated_at "
        + "WHERE id = :id AND account_id + 0 = :a",
        args("content", m.content(), "attributes", json(m.contentAttributes()),
            "status", m.status().wireName(), "source", m.sourceId(),
            "updated_at", m.updatedAt(), "a", m.accountId(), "id", m.id()));
  }

  @Override
  public void insertMessagePartSourceIds(long accountId, long inboxId, long messageId,
      List<String> sourceIds) {
    for (String sourceId : sourceIds) {
      update("INSERT INTO message_parts (account_id, inbox_id, source_id, message_id) "
          + "SELECT :a, :i, :s, :m WHERE NOT EXISTS (SELECT 1 FROM message_parts "
          + "WHERE inbox_id = :i AND source_id = :s)", args("a", accountId, "i", inboxId,
          "s", sourceId, "m", messageId));
    }
  }

  @Override
  public Optional<Message> findMessageByPartSourceId(long accountId, long inboxId,
      String sourceId) {
    return oneMessage(accountId, one("SELECT m.* FROM message_parts p JOIN messages m "
        + "ON m.id = p.message_id AND m.account_id + 0 = :a WHERE p.inbox_id = :i "
        + "AND p.source_id = :s AND p.account_id + 0 = :a", MESSAGE, "a", accountId, "i", inboxId,
        "s", sourceId));
  }

  @Override
  public List<Message> listMessages(long accountId, long conversationId, long beforeId,
      int limit) {
    return withAttachments(accountId, list("SELECT * FROM messages WHERE account_id = :a AND "
        + "conversation_id = :c AND id < :before ORDER BY id DESC LIMIT :limit", MESSAGE,
        "a", accountId, "c", conversationId, "before", beforeId, "limit", limit));
  }

  @Override
  public void updateAttachment(Attachment a) {
    update("UPDATE attachments SET file_type = :type, external_url = :url, blob_key = :blob, "
        + "file_name = :name, content_type = :ct, file_size = :size, meta = :meta "
        + "WHERE id = :id AND account_id + 0 = :a",
        args("type", a.fileType().wireName(), "url", a.externalUrl(), "blob", a.blobKey(),
            "name", a.fileName(), "ct", a.contentType(), "size", a.fileSize(),
            "meta", json(a.meta()), "a", a.accountId(), "id", a.id()));
  }

  @Override
  public Optional<String> findChannelState(String key) {
    return one("SELECT state_value FROM channel_state WHERE state_key = :k",
        rs -> rs.getString(1), "k", key);
  }

  @Override
  public void putChannelState(String key, String value, Instant now) {
    if (update("UPDATE channel_state SET state_value = :v, updated_at = :at WHERE state_key = :k",
        args("v", value, "at", now, "k", key)) == 0) {
      update("INSERT INTO channel_state (state_key, state_value, updated_at) VALUES (:k, :v, :at)",
          args("k", key, "v", value, "at", now));
    }
  }

  @Override
  public Optional<Instant> findLastIncomingAt(long accountId, long contactInboxId) {
    return one("SELECT m.created_at FROM messages m JOIN conversations c ON c.id = m.conversation_id "
        + "WHERE c.account_id = :a AND c.contact_inbox_id = :ci AND m.account_id = :a "
        + "AND m.message_type = 'incoming' ORDER BY m.created_at DESC LIMIT 1",
        rs -> ts(rs, "created_at"), "a", accountId, "ci", contactInboxId);
  }

  @Override
  public int countMessagesSince(long accountId, long conversationId, Instant since) {
    return one("SELECT COUNT(*) FROM messages WHERE conversation_id = :c AND account_id + 0 = :a "
        + "AND created_at >= :since AND message_type <> 'activity'",
        rs -> rs.getInt(1), "a", accountId, "c", conversationId, "since", since)
        .orElse(0);
  }

  // ---------------------------------------------------------------- events, jobs, raw

  private static final Sql.Row<EventRecord> EVENT = rs -> new EventRecord(
      rs.getLong("sequence"), rs.getString("id"), rs.getLong("account_id"), rs.getString("type"),
      nullableLong(rs, "inbox_id"), nullableLong(rs, "conversation_id"), rs.getString("payload"),
      ts(rs, "created_at"));

  @Override
  public long appendEvent(EventRecord e) {
    return insert(INSERT_EVENT, eventArgs(e), "sequence");
  }

  @Override
  public long[] appendEvents(List<EventRecord> events) {
    if (events.size() == 1) {
      return new long[] {appendEvent(events.get(0))};
    }
    // the generated sequences, in the order of the rows
    return Sql.insertAll(h.getConnection(), INSERT_EVENT,
        events.stream().map(JdbiStoreTx::eventArgs).toList(), "sequence");
  }

  private static final String INSERT_EVENT = "INSERT INTO events (id, account_id, type, "
      + "inbox_id, conversation_id, payload, created_at) VALUES (:id, :a, :type, :inbox, "
      + ":conversation, :payload, :created_at)";

  private static Map<String, Object> eventArgs(EventRecord e) {
    return args("id", e.id(), "a", e.accountId(), "type", e.type(), "inbox", e.inboxId(),
        "conversation", e.conversationId(), "payload", e.payload(), "created_at", e.createdAt());
  }

  @Override
  public Optional<EventRecord> findEvent(long sequence) {
    return one("SELECT * FROM events WHERE sequence = :s", EVENT, "s", sequence);
  }

  @Override
  public List<EventRecord> listEvents(long accountId, long afterSequence, int limit) {
    return list("SELECT * FROM events WHERE account_id = :a AND sequence > :s ORDER BY sequence "
        + "LIMIT :limit", EVENT, "a", accountId, "s", afterSequence, "limit", limit);
  }

  @Override
  public long latestEventSequence(long accountId) {
    // ordered as the index is, so that H2 too reads its last entry only (see H2PlansTest)
    return one("SELECT sequence FROM events WHERE account_id = :a "
        + "ORDER BY account_id DESC, sequence DESC LIMIT 1", rs -> rs.getLong(1), "a", accountId)
        .orElse(0L);
  }

  private static final Sql.Row<JobRecord> JOB = rs -> new JobRecord(rs.getLong("id"),
      rs.getString("kind"), rs.getString("target"), nullableLong(rs, "account_id"),
      rs.getString("payload"), rs.getInt("attempts"), ts(rs, "run_at"),
      rs.getString("last_error"), rs.getBoolean("dead"), ts(rs, "created_at"));

  @Override
  public long insertJob(JobRecord j) {
    return insert("INSERT INTO jobs (kind, target, account_id, payload, attempts, run_at, "
        + "last_error, dead, created_at) VALUES (:kind, :target, :a, :payload, :attempts, :run_at, "
        + ":error, :dead, :created_at)",
        args("kind", j.kind(), "target", j.target(), "a", j.accountId(), "payload", j.payload(),
            "attempts", j.attempts(), "run_at", j.runAt(), "error", j.lastError(),
            "dead", j.dead(), "created_at", j.createdAt()), "id");
  }

  @Override
  public Optional<JobRecord> findJob(long jobId) {
    return one("SELECT * FROM jobs WHERE id = :id", JOB, "id", jobId);
  }

  @Override
  public List<JobRecord> listDueJobs(Instant now, int limit) {
    return list("SELECT * FROM jobs WHERE dead = FALSE AND run_at <= :now ORDER BY run_at, id "
        + "LIMIT :limit", JOB, "now", now, "limit", limit);
  }

  @Override
  public boolean claimJob(long jobId, Instant expectedRunAt, Instant leaseUntil) {
    return update("UPDATE jobs SET run_at = :lease, attempts = attempts + 1 WHERE id = :id "
        + "AND run_at = :expected AND dead = FALSE",
        args("lease", leaseUntil, "id", jobId, "expected", expectedRunAt)) == 1;
  }

  @Override
  public void deleteJob(long jobId) {
    update("DELETE FROM jobs WHERE id = :id", args("id", jobId));
  }

  @Override
  public void rescheduleJob(long jobId, Instant runAt, String error) {
    update("UPDATE jobs SET run_at = :run_at, last_error = :error WHERE id = :id",
        args("run_at", runAt, "error", cap(error), "id", jobId));
  }

  @Override
  public void buryJob(long jobId, String error) {
    update("UPDATE jobs SET dead = TRUE, last_error = :error WHERE id = :id",
        args("error", cap(error), "id", jobId));
  }

  @Override
  public List<JobRecord> listDeadJobs(int limit) {
    return list("SELECT * FROM jobs WHERE dead = TRUE ORDER BY id DESC LIMIT :limit", JOB,
        "limit", limit);
  }

  @Override
  public long insertRawRequest(String channel, String method, String path, String contentType,
      byte[] body, Instant receivedAt) {
    return insertRawRequest(channel, method, path, contentType, body, receivedAt, false);
  }

  @Override
  public long insertRawRequest(String channel, String method, String path, String contentType,
      byte[] body, Instant receivedAt, boolean processed) {
    return insert(INSERT_RAW_REQUEST, rawRequestArgs(channel, method, path, contentType, body,
        receivedAt, processed), "id");
  }

  private static final String INSERT_RAW_REQUEST = "INSERT INTO raw_requests (channel, method, "
      + "path, content_type, body, received_at, processed) VALUES (:channel, :method, :path, "
      + ":ct, :body, :at, :p)";

  private static Map<String, Object> rawRequestArgs(String channel, String method, String path,
      String contentType, byte[] body, Instant receivedAt, boolean processed) {
    return args("channel", channel, "method", method, "path", cap2000(path),
        "ct", cap(contentType), "body", body, "at", receivedAt, "p", processed);
  }

  @Override
  public void insertProcessedRawRequests(List<io.switchboard.store.RawRequestRecord> requests) {
    if (requests.size() == 1) {
      io.switchboard.store.RawRequestRecord r = requests.get(0);
      insertRawRequest(r.channel(), r.method(), r.path(), r.contentType(), r.body(),
          r.receivedAt(), true);
      return;
    }
    Sql.updateAll(h.getConnection(), INSERT_RAW_REQUEST, requests.stream().map(r ->
        rawRequestArgs(r.channel(), r.method(), r.path(), r.contentType(), r.body(),
            r.receivedAt(), true)).toList());
  }

  @Override
  public void finishInbound(List<Long> rawRequestIds, List<Long> jobIds) {
    if (!rawRequestIds.isEmpty()) {
      Sql.updateAll(h.getConnection(), "UPDATE raw_requests SET processed = TRUE, error = NULL "
          + "WHERE id = :id", rawRequestIds.stream().map(id -> args("id", id)).toList());
    }
    if (!jobIds.isEmpty()) {
      Sql.updateAll(h.getConnection(), "DELETE FROM jobs WHERE id = :id",
          jobIds.stream().map(id -> args("id", id)).toList());
    }
  }

  @Override
  public void markRawRequest(long rawRequestId, boolean processed, String error) {
    update("UPDATE raw_requests SET processed = :p, error = :e WHERE id = :id",
        args("p", processed, "e", cap(error), "id", rawRequestId));
  }

  private static String cap(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  private static String cap2000(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
  }

  // ---------------------------------------------------------------- webhooks and agent bots

  private static final Sql.Row<io.switchboard.webhook.Webhook> WEBHOOK = rs ->
      new io.switchboard.webhook.Webhook(rs.getLong("id"), rs.getLong("account_id"),
          rs.getString("url"), subscriptions(rs.getString("subscriptions")),
          rs.getBoolean("enabled"), rs.getInt("consecutive_failures"), ts(rs, "created_at"),
          ts(rs, "updated_at"));

  private static java.util.Set<io.switchboard.webhook.WebhookEvent> subscriptions(String csv) {
    java.util.Set<io.switchboard.webhook.WebhookEvent> set =
        java.util.EnumSet.noneOf(io.switchboard.webhook.WebhookEvent.class);
    for (String name : csv.split(",")) {
      if (!name.isBlank()) {
        set.add(io.switchboard.webhook.WebhookEvent.of(name.strip()));
      }
    }
    return set;
  }

  private static String csv(java.util.Set<io.switchboard.webhook.WebhookEvent> events) {
    return events.stream().sorted().map(io.switchboard.webhook.WebhookEvent::wireName)
        .collect(Collectors.joining(","));
  }

  @Override
  public io.switchboard.webhook.Webhook insertWebhook(io.switchboard.webhook.Webhook w,
      String secret) {
    long id = insert("INSERT INTO webhooks (account_id, url, secret, subscriptions, enabled, "
        + "consecutive_failures, created_at, updated_at) VALUES (:a, :url, :secret, :subs, "
        + ":enabled, :failures, :created, :updated)",
        args("a", w.accountId(), "url", w.url(), "secret", secret, "subs", csv(w.subscriptions()),
            "enabled", w.enabled(), "failures", w.consecutiveFailures(), "created", w.createdAt(),
            "updated", w.updatedAt()), "id");
    return new io.switchboard.webhook.Webhook(id, w.accountId(), w.url(), w.subscriptions(),
        w.enabled(), w.consecutiveFailures(), w.createdAt(), w.updatedAt());
  }

  @Override
  public Optional<io.switchboard.webhook.Webhook> findWebhook(long accountId, long webhookId) {
    return one("SELECT * FROM webhooks WHERE id = :id AND account_id + 0 = :a", WEBHOOK,
        "a", accountId, "id", webhookId);
  }

  @Override
  public Optional<String> findWebhookSecret(long accountId, long webhookId) {
    return one("SELECT secret FROM webhooks WHERE id = :id AND account_id + 0 = :a",
        rs -> rs.getString(1), "a", accountId, "id", webhookId);
  }

  @Override
  public List<io.switchboard.webhook.Webhook> listWebhooks(long accountId) {
    return list("SELECT * FROM webhooks WHERE account_id = :a ORDER BY id", WEBHOOK,
        "a", accountId);
  }

  @Override
  public void updateWebhook(io.switchboard.webhook.Webhook w, String secret) {
    update("UPDATE webhooks SET url = :url, subscriptions = :subs, enabled = :enabled, "
        + "consecutive_failures = :failures, updated_at = :updated, "
        + "secret = COALESCE(:secret, secret) WHERE id = :id AND account_id + 0 = :a",
        args("url", w.url(), "subs", csv(w.subscriptions()), "enabled", w.enabled(),
            "failures", w.consecutiveFailures(), "updated", w.updatedAt(), "secret", secret,
            "a", w.accountId(), "id", w.id()));
  }

  @Override
  public void deleteWebhook(long accountId, long webhookId) {
    update("DELETE FROM webhooks WHERE id = :id AND account_id + 0 = :a",
        args("a", accountId, "id", webhookId));
  }

  @Override
  public int countWebhookFailure(long accountId, long webhookId) {
    update("UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 "
        + "WHERE id = :id AND account_id + 0 = :a", args("a", accountId, "id", webhookId));
    return one("SELECT consecutive_failures FROM webhooks WHERE id = :id AND account_id + 0 = :a",
        rs -> rs.getInt(1), "a", accountId, "id", webhookId).orElse(0);
  }

  @Override
  public void clearWebhookFailures(long accountId, long webhookId) {
    update("UPDATE webhooks SET consecutive_failures = 0 WHERE id = :id AND account_id + 0 = :a "
        + "AND consecutive_failures <> 0", args("a", accountId, "id", webhookId));
  }

  private static final Sql.Row<io.switchboard.webhook.AgentBot> AGENT_BOT = rs ->
      new io.switchboard.webhook.AgentBot(rs.getLong("id"), rs.getLong("account_id"),
          rs.getLong("inbox_id"), rs.getString("name"), rs.getString("url"),
          rs.getString("callback"), ts(rs, "created_at"));

  @Override
  public io.switchboard.webhook.AgentBot insertAgentBot(io.switchboard.webhook.AgentBot b,
      String secret) {
    long id = insert("INSERT INTO agent_bots (account_id, inbox_id, name, url, secret, callback, "
        + "created_at) VALUES (:a, :inbox, :name, :url, :secret, :callback, :created)",
        args("a", b.accountId(), "inbox", b.inboxId(), "name", b.name(), "url", b.url(),
            "secret", secret, "callback", b.callback(), "created", b.createdAt()), "id");
    return new io.switchboard.webhook.AgentBot(id, b.accountId(), b.inboxId(), b.name(), b.url(),
        b.callback(), b.createdAt());
  }

  @Override
  public Optional<io.switchboard.webhook.AgentBot> findAgentBot(long accountId, long botId) {
    return one("SELECT * FROM agent_bots WHERE id = :id AND account_id + 0 = :a", AGENT_BOT,
        "a", accountId, "id", botId);
  }

  @Override
  public Optional<io.switchboard.webhook.AgentBot> findAgentBotOfInbox(long accountId,
      long inboxId) {
    return one("SELECT * FROM agent_bots WHERE inbox_id = :inbox AND account_id + 0 = :a", AGENT_BOT,
        "a", accountId, "inbox", inboxId);
  }
  @Override
  public boolean hasWebhookTargets(long accountId, Long inboxId) {
    String bots = inboxId == null ? "" : " OR EXISTS (SELECT 1 FROM agent_bots "
        + "WHERE inbox_id = :i AND account_id + 0 = :a)";
    Map<String, Object> values = inboxId == null ? args("a", accountId)
        : args("a", accountId, "i", inboxId.longValue());
    return Sql.one(h.getConnection(), "SELECT EXISTS (SELECT 1 FROM webhooks WHERE account_id = :a)"
        + bots, values, rs -> rs.getBoolean(1)).orElseThrow();
  }


  @Override
  public Optional<String> findAgentBotSecret(long accountId, long botId) {
    return one("SELECT secret FROM agent_bots WHERE id = :id AND account_id + 0 = :a",
        rs -> rs.getString(1), "a", accountId, "id", botId);
  }

  @Override
  public void deleteAgentBot(long accountId, long botId) {
    update("DELETE FROM agent_bots WHERE id = :id AND account_id + 0 = :a",
        args("a", accountId, "id", botId));
  }

  @Override
  public boolean insertWebhookDelivery(io.switchboard.webhook.WebhookDelivery d,
      long eventSequence, String body) {
    String kind = d.agentBot() ? "agent_bot" : "webhook";
    if (one("SELECT id FROM webhook_deliveries WHERE target_kind = :k AND target_id = :t "
        + "AND event_id = :e", rs -> rs.getString(1), "k", kind, "t", d.targetId(),
        "e", d.eventId()).isPresent()) {
      return false;
    }
    update("INSERT INTO webhook_deliveries (id, account_id, target_kind, target_id, event_id, "
        + "event_sequence, event, body, status, attempts, last_status_code, last_error, "
        + "created_at, updated_at) VALUES (:id, :a, :k, :t, :e, :seq, :event, :body, :status, 0, "
        + "NULL, NULL, :created, :updated)",
        args("id", d.id(), "a", d.accountId(), "k", kind, "t", d.targetId(), "e", d.eventId(),
            "seq", eventSequence, "event", d.event(), "body", body,
            "status", d.status().wireName(), "created", d.createdAt(), "updated", d.updatedAt()));
    return true;
  }

  private static final Sql.Row<io.switchboard.webhook.WebhookDelivery> DELIVERY = rs -> {
    int code = rs.getInt("last_status_code");
    Integer lastCode = rs.wasNull() ? null : code;
    return new io.switchboard.webhook.WebhookDelivery(rs.getString("id"), rs.getLong("account_id"),
        rs.getLong("target_id"), "agent_bot".equals(rs.getString("target_kind")),
        rs.getString("event"), rs.getString("event_id"),
        io.switchboard.webhook.DeliveryStatus.of(rs.getString("status")), List.of(), lastCode,
        rs.getString("last_error"), ts(rs, "created_at"), ts(rs, "updated_at"));
  };

  private io.switchboard.webhook.WebhookDelivery withAttempts(
      io.switchboard.webhook.WebhookDelivery d) {
    List<io.switchboard.webhook.WebhookDelivery.Attempt> attempts = list(
        "SELECT * FROM webhook_attempts WHERE delivery_id = :d ORDER BY attempt, id",
        rs -> {
          int code = rs.getInt("status_code");
          Integer status = rs.wasNull() ? null : code;
          return new io.switchboard.webhook.WebhookDelivery.Attempt(rs.getInt("attempt"), status,
              rs.getString("error"), ts(rs, "attempted_at"));
        }, "d", d.id());
    return new io.switchboard.webhook.WebhookDelivery(d.id(), d.accountId(), d.targetId(),
        d.agentBot(), d.event(), d.eventId(), d.status(), attempts, d.lastStatusCode(),
        d.lastError(), d.createdAt(), d.updatedAt());
  }

  @Override
  public Optional<io.switchboard.webhook.WebhookDelivery> findWebhookDelivery(long accountId,
      String deliveryId) {
    return one("SELECT * FROM webhook_deliveries WHERE id = :id AND account_id + 0 = :a", DELIVERY,
        "a", accountId, "id", deliveryId).map(this::withAttempts);
  }

  @Override
  public Optional<String> findWebhookDeliveryBody(String deliveryId) {
    return one("SELECT body FROM webhook_deliveries WHERE id = :id",
        rs -> rs.getString(1), "id", deliveryId);
  }

  @Override
  public void recordWebhookAttempt(String deliveryId, io.switchboard.webhook.DeliveryStatus status,
      Integer statusCode, String error, Instant at) {
    String capped = error == null || error.length() <= 1000 ? error : error.substring(0, 1000);
    int attempt = one("SELECT attempts FROM webhook_deliveries WHERE id = :id" + forUpdate(),
        rs -> rs.getInt(1), "id", deliveryId).orElse(0) + 1;
    update("INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, attempted_at) "
        + "VALUES (:d, :n, :code, :error, :at)",
        args("d", deliveryId, "n", attempt, "code", statusCode, "error", capped, "at", at));
    update("UPDATE webhook_deliveries SET status = :status, attempts = :n, last_status_code = :code, "
        + "last_error = :error, updated_at = :at WHERE id = :d",
        args("status", status.wireName(), "n", attempt, "code", statusCode, "error", capped,
            "at", at, "d", deliveryId));
  }

  @Override
  public List<io.switchboard.webhook.WebhookDelivery> listWebhookDeliveries(long accountId,
      boolean agentBot, long targetId, int limit) {
    return list("SELECT * FROM webhook_deliveries WHERE account_id = :a AND target_kind = :k "
        + "AND target_id = :t ORDER BY created_at DESC, id LIMIT :limit", DELIVERY,
        "a", accountId, "k", agentBot ? "agent_bot" : "webhook", "t", targetId, "limit", limit)
        .stream().map(this::withAttempts).toList();
  }
}
