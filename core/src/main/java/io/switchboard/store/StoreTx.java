package io.switchboard.store;

import io.switchboard.ConversationFilter;
import io.switchboard.model.Account;
import io.switchboard.model.AccountUser;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.InboxMember;
import io.switchboard.model.Message;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operations available inside one store transaction. Inserts ignore the id of the record
 * they are given and return the record with the id the store assigned. Unique violations
 * throw {@link StoreConflictException}.
 */
public interface StoreTx {

  // accounts and users

  Account insertAccount(Account account);

  Optional<Account> findAccount(long accountId);

  List<Account> listAccounts();

  void updateAccount(Account account);

  /**
   * The next display id of the account's conversations: counting from 1 per account, never
   * repeated, without holding a lock until the end of the transaction (a rollback may leave a
   * gap).
   */
  long nextDisplayId(long accountId);

  User insertUser(User user, String passwordHash);

  Optional<User> findUser(long userId);

  Optional<User> findUserByEmail(String email);

  /** Updates the user's name and email. */
  void updateUser(User user);

  /** Unscoped: the accounts the user is an agent of, by id. */
  List<Long> listAccountIdsOfUser(long userId);

  Optional<String> findPasswordHash(long userId);

  void updatePasswordHash(long userId, String passwordHash);

  /** Inserts the membership or updates its role. */
  void putAccountUser(AccountUser accountUser);

  Optional<AccountUser> findAccountUser(long accountId, long userId);

  List<AccountUser> listAccountUsers(long accountId);

  // teams

  Team insertTeam(Team team);

  Optional<Team> findTeam(long accountId, long teamId);

  List<Team> listTeams(long accountId);

  void updateTeam(Team team);

  void addTeamMember(long accountId, long teamId, long userId);

  // inboxes

  Inbox insertInbox(Inbox inbox);

  Optional<Inbox> findInbox(long accountId, long inboxId);

  /** Unscoped: the routing key is what a provider's webhook presents. */
  Optional<Inbox> findInboxByRoutingKey(ChannelType channelType, String routingKey);

  /**
   * Unscoped, as {@link #findInboxByRoutingKey}: the inbox, with whether its account has a
   * webhook and the inbox an agent bot. A store should answer in one statement: every webhook
   * asks for it.
   */
  default Optional<RoutedInbox> findRoutedInbox(ChannelType channelType, String routingKey) {
    return findInboxByRoutingKey(channelType, routingKey).map(i -> new RoutedInbox(i,
        hasWebhookTargets(i.accountId(), null),
        findAgentBotOfInbox(i.accountId(), i.id()).isPresent()));
  }

  List<Inbox> listInboxes(long accountId);

  void updateInbox(Inbox inbox);

  void addInboxMember(InboxMember member);

  void removeInboxMember(InboxMember member);

  List<InboxMember> listInboxMembers(long accountId, long inboxId);

  List<Long> listInboxIdsOfUser(long accountId, long userId);

  // contacts

  Contact insertContact(Contact contact);

  Optional<Contact> findContact(long accountId, long contactId);

  Optional<Contact> findContactByEmail(long accountId, String email);

  Optional<Contact> findContactByIdentifier(long accountId, String identifier);

  Optional<Contact> findContactByPhone(long accountId, String phoneNumber);

  /** Contacts ordered by id, after {@code afterId}. */
  List<Contact> listContacts(long accountId, long afterId, int limit);

  void updateContact(Contact contact);

  /**
   * Sets only the contact's {@code last_activity_at}: what a message from the contact changes.
   * The default updates the whole row; a store should write the one column, so that a
   * concurrent edit of the contact's other fields is not overwritten.
   */
  default void touchContact(Contact contact, Instant lastActivityAt) {
    updateContact(new Contact(contact.id(), contact.accountId(), contact.name(), contact.email(),
        contact.phoneNumber(), contact.identifier(), contact.contactType(),
        contact.additionalAttributes(), contact.customAttributes(), contact.blocked(),
        lastActivityAt, contact.createdAt(), contact.updatedAt()));
  }

  void deleteContact(long accountId, long contactId);

  /** Locks the contact row until the transaction ends (SELECT … FOR UPDATE). */
  Optional<Contact> lockContact(long accountId, long contactId);

  ContactInbox insertContactInbox(ContactInbox contactInbox);

  Optional<ContactInbox> findContactInbox(long accountId, long contactInboxId);

  Optional<ContactInbox> findContactInboxBySourceId(long accountId, long inboxId, String sourceId);

  /** Unscoped: the pubsub token is the credential a contact's real-time client presents. */
  Optional<ContactInbox> findContactInboxByPubsubToken(String pubsubToken);

  /** Locks the contact inbox row until the transaction ends (SELECT … FOR UPDATE). */
  Optional<ContactInbox> lockContactInbox(long accountId, long contactInboxId);

  /**
   * Finds the contact inbox with this source id and locks its row until the transaction ends,
   * as {@link #findContactInboxBySourceId} and {@link #lockContactInbox} would. A store should
   * do both in one statement: every message from a known contact asks for it.
   */
  default Optional<ContactInbox> lockContactInboxBySourceId(long accountId, long inboxId,
      String sourceId) {
    return findContactInboxBySourceId(accountId, inboxId, sourceId)
        .flatMap(ci -> lockContactInbox(accountId, ci.id()));
  }

  /**
   * The reads of a batch of deliveries at once: many senders' contact inboxes found by source
   * id and locked (as {@link #lockContactInboxBySourceId} each), which of many provider message
   * ids the inbox already has, many contacts, and many contact inboxes' latest conversations,
   * locked (as {@link #lockLatestConversation} each). Each answer covers every key asked: a key
   * missing from it has no row. Rows are locked in the order of the keys given.
   *
   * <p>Optional for a store: the defaults answer empty, and the caller then asks one key at a
   * time. A store whose statements cost round trips should answer each in one statement.
   */
  default Optional<Map<String, ContactInbox>> lockContactInboxesBySourceIds(
      long accountId, long inboxId, List<String> sourceIds) {
    return Optional.empty();
  }

  /** See {@link #lockContactInboxesBySourceIds}: the ids of {@code sourceIds} the inbox has. */
  default Optional<Set<String>> findMessageSourceIds(long accountId, long inboxId,
      List<String> sourceIds) {
    return Optional.empty();
  }

  /** See {@link #lockContactInboxesBySourceIds}: the contacts, by id. */
  default Optional<Map<Long, Contact>> findContacts(long accountId,
      List<Long> contactIds) {
    return Optional.empty();
  }

  /** See {@link #lockContactInboxesBySourceIds}: the latest conversations, by contact inbox. */
  default Optional<Map<Long, Conversation>> lockLatestConversations(long accountId,
      List<Long> contactInboxIds, boolean includeResolved) {
    return Optional.empty();
  }

  List<ContactInbox> listContactInboxes(long accountId, long contactId);

  /** Updates the contact, the HMAC verification and {@code blockedAt}. */
  void updateContactInbox(ContactInbox contactInbox);

  /** Moves contact inboxes, conversations and contact-sent messages to another contact. */
  void reassignContact(long accountId, long fromContactId, long toContactId);

  /**
   * Moves one contact inbox from {@code fromContactId} to another contact, with its
   * conversations and the messages {@code fromContactId} sent in them.
   */
  void reassignContactInbox(long accountId, long contactInboxId, long fromContactId,
      long toContactId);

  // conversations

  Conversation insertConversation(Conversation conversation);

  Optional<Conversation> findConversation(long accountId, long conversationId);

  Optional<Conversation> findConversationByUuid(long accountId, String uuid);

  Optional<Conversation> findConversationByDisplayId(long accountId, long displayId);

  /** Finds and locks the conversation row until the transaction ends. */
  Optional<Conversation> lockConversation(long accountId, long conversationId);

  /**
   * The contact inbox's most recent conversation, or its most recent one that is not
   * resolved when {@code includeResolved} is false.
   */
  Optional<Conversation> findLatestConversation(long accountId, long contactInboxId,
      boolean includeResolved);

  /**
   * As {@link #findLatestConversation}, and locks the row found until the transaction ends, so
   * that a message being stored and an agent's change of the conversation serialise. A store
   * should do it in one statement; this default finds, locks and checks again.
   */
  default Optional<Conversation> lockLatestConversation(long accountId, long contactInboxId,
      boolean includeResolved) {
    return findLatestConversation(accountId, contactInboxId, includeResolved)
        .flatMap(found -> lockConversation(accountId, found.id()))
        .filter(locked -> includeResolved
            || locked.status() != io.switchboard.model.ConversationStatus.RESOLVED);
  }

  /**
   * Conversations matching {@code filter}, newest activity first, strictly after the position
   * {@code (afterActivity, afterId)} in that order when {@code afterActivity} is not null.
   */
  List<Conversation> queryConversations(long accountId, ConversationFilter filter,
      Instant afterActivity, long afterId, int limit);

  /**
   * Unscoped: snoozed conversations whose {@code snoozed_until} is at or before {@code now},
   * earliest first, of every account. The timer that reopens them changes each one in a
   * transaction scoped by its account.
   */
  List<Conversation> listSnoozeExpired(Instant now, int limit);

  /** Updates every field of the conversation but its labels (see {@link #setConversationLabels}). */
  void updateConversation(Conversation conversation);

  /**
   * Updates only what a new message changes: {@code waiting_since}, {@code
   * first_reply_created_at}, {@code last_activity_at} and {@code updated_at}. The default
   * updates the whole row; a store should write these columns only, so that an agent's
   * concurrent change of status or assignee is not overwritten by a message's write.
   */
  default void updateConversationActivity(Conversation conversation) {
    updateConversation(conversation);
  }

  /**
   * Inserts a message (see {@link #insertMessage}) with what it changes elsewhere: the
   * conversation's activity columns (see {@link #updateConversationActivity}) and, when {@code
   * sender} is given, the sender's last activity, set to the message's time (see {@link
   * #touchContact}). The default runs the three one after the other; a store should send them
   * together, in one round trip where it can.
   *
   * @param conversation the message's conversation, its activity columns as the message
   *     leaves them
   * @param sender the contact who sent the message, or {@code null} to touch no contact
   * @return the message as stored, with its id and its attachments' ids
   */
  default Message insertMessageWithActivity(Message message, Conversation conversation,
      Contact sender) {
    Message saved = insertMessage(message);
    updateConversationActivity(conversation);
    if (sender != null) {
      touchContact(sender, message.createdAt());
    }
    return saved;
  }

  /** Replaces the conversation's labels. */
  void setConversationLabels(long accountId, long conversationId, List<String> labels);

  // messages

  /** Inserts the message and its attachments. */
  Message insertMessage(Message message);

  Optional<Message> findMessage(long accountId, long messageId);

  Optional<Message> findMessageBySourceId(long accountId, long inboxId, String sourceId);

  /** Updates content, content attributes, status, source id and updated-at. */
  void updateMessage(Message message);

  /**
   * Records provider ids of parts of a message that went out as several provider messages
   * (once it is sent, its first part's id is its source id), so that statuses and replies
   * naming a part find the message. Ids already recorded for the inbox are skipped.
   */
  void insertMessagePartSourceIds(long accountId, long inboxId, long messageId,
      List<String> sourceIds);

  /** The message one of whose later parts has this provider id. */
  Optional<Message> findMessageByPartSourceId(long accountId, long inboxId, String sourceId);

  /** The conversation's messages with an id below {@code beforeId}, newest first. */
  List<Message> listMessages(long accountId, long conversationId, long beforeId, int limit);

  /** Updates an attachment's file fields (blob key, size, content type, name, meta). */
  void updateAttachment(io.switchboard.model.Attachment attachment);

  /**
   * When the contact of this contact inbox last wrote: the creation time of the newest incoming
   * message in any of its conversations, or empty when it never wrote. Channels with a
   * customer-service window (WhatsApp's 24 hours) decide from it whether free-form messages may
   * be sent.
   */
  Optional<Instant> findLastIncomingAt(long accountId, long contactInboxId);

  /** How many non-activity messages the conversation got since {@code since}. */
  int countMessagesSince(long accountId, long conversationId, Instant since);

  // channel state

  /** Unscoped: channel state keys carry their channel and inbox. */
  Optional<String> findChannelState(String key);

  void putChannelState(String key, String value, Instant now);

  // events, jobs, raw webhooks

  /** Appends to the event log and returns the sequence assigned. */
  long appendEvent(EventRecord event);

  /**
   * Appends events to the log in the order given and returns the sequences assigned, in that
   * order. The default appends them one by one; a store should send them as one batch.
   */
  default long[] appendEvents(List<EventRecord> events) {
    long[] sequences = new long[events.size()];
    for (int i = 0; i < sequences.length; i++) {
      sequences[i] = appendEvent(events.get(i));
    }
    return sequences;
  }

  Optional<EventRecord> findEvent(long sequence);

  /** The account's events after {@code afterSequence}, oldest first. */
  List<EventRecord> listEvents(long accountId, long afterSequence, int limit);

  /** The sequence of the account's latest event, or 0 when it has none. */
  long latestEventSequence(long accountId);

  long insertJob(JobRecord job);

  Optional<JobRecord> findJob(long jobId);

  /** Live jobs due at {@code now}, earliest first. */
  List<JobRecord> listDueJobs(Instant now, int limit);

  /**
   * Claims a job: when its {@code runAt} still equals {@code expectedRunAt}, sets it to
   * {@code leaseUntil} and counts an attempt.
   *
   * @return whether this caller won the claim
   */
  boolean claimJob(long jobId, Instant expectedRunAt, Instant leaseUntil);

  void deleteJob(long jobId);

  void rescheduleJob(long jobId, Instant runAt, String error);

  /** Marks the job dead: it stays for inspection but is never due again. */
  void buryJob(long jobId, String error);

  /** Dead jobs, newest first, for inspection. */
  List<JobRecord> listDeadJobs(int limit);

  /**
   * Stores a raw webhook request as received.
   *
   * @return its id
   */
  long insertRawRequest(String channel, String method, String path, String contentType,
      byte[] body, Instant receivedAt);

  /**
   * Stores a raw webhook request as received, already marked processed when the caller
   * processes it in this same transaction (one statement instead of an insert and an update).
   *
   * @return its id
   */
  default long insertRawRequest(String channel, String method, String path, String contentType,
      byte[] body, Instant receivedAt, boolean processed) {
    long id = insertRawRequest(channel, method, path, contentType, body, receivedAt);
    if (processed) {
      markRawRequest(id, true, null);
    }
    return id;
  }

  /**
   * Stores raw requests whose events were processed in this same transaction, marked
   * processed. The default stores them one by one; a store should send them as one batch (the
   * raw inputs of deliveries that share a transaction, see group commit).
   */
  default void insertProcessedRawRequests(List<RawRequestRecord> requests) {
    for (RawRequestRecord r : requests) {
      insertRawRequest(r.channel(), r.method(), r.path(), r.contentType(), r.body(),
          r.receivedAt(), true);
    }
  }

  /**
   * Marks stored raw requests processed and deletes the jobs that stood for their processing,
   * both in this transaction: the end of processing inputs that were acknowledged once stored.
   * The default goes one by one; a store should send each as one batch.
   *
   * @param rawRequestIds the raw requests, processed
   * @param jobIds their jobs, deleted
   */
  default void finishInbound(List<Long> rawRequestIds, List<Long> jobIds) {
    for (long id : rawRequestIds) {
      markRawRequest(id, true, null);
    }
    for (long id : jobIds) {
      deleteJob(id);
    }
  }

  /** Marks a stored raw request processed, or records why it could not be. */
  void markRawRequest(long rawRequestId, boolean processed, String error);

  // webhooks and agent bots (secrets are stored, never returned in records)

  io.switchboard.webhook.Webhook insertWebhook(io.switchboard.webhook.Webhook webhook, String secret);

  Optional<io.switchboard.webhook.Webhook> findWebhook(long accountId, long webhookId);

  Optional<String> findWebhookSecret(long accountId, long webhookId);

  List<io.switchboard.webhook.Webhook> listWebhooks(long accountId);

  /** Updates url, subscriptions, enabled, failure count and updated-at; a null secret is kept. */
  void updateWebhook(io.switchboard.webhook.Webhook webhook, String secret);

  void deleteWebhook(long accountId, long webhookId);

  /** Adds one to the webhook's consecutive failures, locking its row; returns the new count. */
  int countWebhookFailure(long accountId, long webhookId);

  /** Sets the webhook's consecutive failures back to 0. */
  void clearWebhookFailures(long accountId, long webhookId);

  io.switchboard.webhook.AgentBot insertAgentBot(io.switchboard.webhook.AgentBot bot, String secret);

  Optional<io.switchboard.webhook.AgentBot> findAgentBot(long accountId, long botId);

  Optional<io.switchboard.webhook.AgentBot> findAgentBotOfInbox(long accountId, long inboxId);

  /**
   * Whether the account has a webhook or the inbox (when not null) an agent bot: whether an
   * event may have someone to deliver it to. A store should answer in one query; it is asked
   * once per account and inbox in each transaction that emits events.
   */
  default boolean hasWebhookTargets(long accountId, Long inboxId) {
    return !listWebhooks(accountId).isEmpty()
        || (inboxId != null && findAgentBotOfInbox(accountId, inboxId).isPresent());
  }

  Optional<String> findAgentBotSecret(long accountId, long botId);

  void deleteAgentBot(long accountId, long botId);

  /**
   * Inserts a delivery with its body, unless the target already has one for the event.
   *
   * @return false when it already had one
   */
  boolean insertWebhookDelivery(io.switchboard.webhook.WebhookDelivery delivery,
      long eventSequence, String body);

  /** The delivery with its attempts. */
  Optional<io.switchboard.webhook.WebhookDelivery> findWebhookDelivery(long accountId,
      String deliveryId);

  Optional<String> findWebhookDeliveryBody(String deliveryId);

  /** Appends an attempt and sets the delivery's status, attempt count and last outcome. */
  void recordWebhookAttempt(String deliveryId, io.switchboard.webhook.DeliveryStatus status,
      Integer statusCode, String error, Instant at);

  /** A target's deliveries with their attempts, newest first. */
  List<io.switchboard.webhook.WebhookDelivery> listWebhookDeliveries(long accountId,
      boolean agentBot, long targetId, int limit);
}
