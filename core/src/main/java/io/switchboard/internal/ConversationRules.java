package io.switchboard.internal;

import io.switchboard.event.Change;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Chatwoot's rules for which conversation a contact's message goes to, and status changes. */
public final class ConversationRules {
  private ConversationRules() {}

  /** The status a new or reopened conversation of {@code inbox} gets. */
  public static ConversationStatus startingStatus(Inbox inbox) {
    return inbox.botEnabled() ? ConversationStatus.PENDING : ConversationStatus.OPEN;
  }

  /**
   * Reserved conversation attribute: the uuid of the conversation a message belongs to (an
   * email sent to {@code reply+<uuid>@…}). Used only when that conversation is in the same
   * inbox; never stored.
   */
  public static final String THREAD_CONVERSATION_UUID = "thread_conversation_uuid";
  /**
   * Reserved conversation attribute: provider message ids the message refers to, most
   * relevant first (an email's {@code In-Reply-To}, then its {@code References} newest first).
   * The first one that is the source id of a message of the inbox gives the conversation.
   * Never stored.
   */
  public static final String THREAD_REFERENCES = "thread_references";
  /**
   * Reserved conversation attribute: {@code true} when a message that matches no thread by
   * the keys above starts a new conversation instead of joining the contact's latest open one.
   * Never stored.
   */
  public static final String THREAD_NEW = "thread_new";

  /**
   * Finds the conversation a new message of this contact inbox belongs to, or creates a new
   * one. A contact's own message ({@code incoming}) reopens a snoozed conversation as open and
   * a resolved one with the inbox's starting status (pending with a bot); a message the
   * business sent from elsewhere (an echo) reopens nothing. The caller must hold the contact
   * inbox's row lock; the conversation found is locked too (contact inbox first, then
   * conversation), so that an agent's change committed meanwhile is neither lost nor
   * overwritten. A blocked contact's message goes to its latest conversation, resolved or not,
   * and reopens nothing; a blocked contact's first conversation starts resolved (Chatwoot's
   * rule), so that it never reaches the agents' open list.
   *
   * <p>The reserved keys {@link #THREAD_CONVERSATION_UUID}, {@link #THREAD_REFERENCES} and
   * {@link #THREAD_NEW} in {@code attributes} steer the choice (in that order) and are removed
   * before the attributes are stored. A referenced conversation must be in the same inbox (and
   * so the same account). A {@code newContactInbox}, created by this transaction, has no
   * conversation to look for: unless a reference steers it elsewhere, its message starts one.
   */
  public static Found findOrCreate(WriteTx tx, Inbox inbox, ContactInbox contactInbox,
      boolean newContactInbox, Map<String, Object> requested, boolean incoming,
      boolean contactBlocked, Actor performer) {
    Map<String, Object> attributes = new LinkedHashMap<>(requested);
    Object threadUuid = attributes.remove(THREAD_CONVERSATION_UUID);
    Object references = attributes.remove(THREAD_REFERENCES);
    boolean startNew = Boolean.TRUE.equals(attributes.remove(THREAD_NEW))
        || "true".equals(String.valueOf(requested.get(THREAD_NEW)));
    boolean reopen = incoming && !contactBlocked;
    Optional<Conversation> threaded = thread(tx, inbox, threadUuid, references);
    if (threaded.isPresent()) {
      return new Found(continueWith(tx, inbox, threaded.get(), attributes, reopen, performer),
          false);
    }
    if (startNew || newContactInbox) {
      // a contact inbox this transaction created has no conversation to continue
      return create(tx, inbox, contactInbox, attributes, contactBlocked, performer);
    }
    boolean continueResolved = contactBlocked || inbox.lockToSingleConversation()
        || (inbox.channelType() == ChannelType.WEB_WIDGET && inbox.allowMessagesAfterResolved());
    Optional<Conversation> existing = tx.lockLatestConversation(inbox.accountId(),
        contactInbox.id(), continueResolved);
    if (existing.isPresent()) {
      return new Found(continueWith(tx, inbox, existing.get(), attributes, reopen, performer),
          false);
    }
    return create(tx, inbox, contactInbox, attributes, contactBlocked, performer);
  }

  private static Optional<Conversation> thread(WriteTx tx, Inbox inbox, Object uuid,
      Object references) {
    if (uuid != null && !uuid.toString().isBlank()) {
      Optional<Conversation> c = tx.store().findConversationByUuid(inbox.accountId(),
          uuid.toString().strip()).filter(found -> found.inboxId() == inbox.id())
          .flatMap(found -> tx.store().lockConversation(inbox.accountId(), found.id()));
      if (c.isPresent()) {
        return c;
      }
    }
    if (references instanceof java.util.Collection<?> ids) {
      for (Object id : ids) {
        if (id == null || id.toString().isBlank()) {
          continue;
        }
        Optional<Conversation> c = tx.store()
            .findMessageBySourceId(inbox.accountId(), inbox.id(), id.toString())
            .flatMap(m -> tx.store().lockConversation(inbox.accountId(), m.conversationId()))
            .filter(found -> found.inboxId() == inbox.id());
        if (c.isPresent()) {
          return c;
        }
      }
    }
    return Optional.empty();
  }

  private static Conversation continueWith(WriteTx tx, Inbox inbox, Conversation c,
      Map<String, Object> attributes, boolean reopen, Actor performer) {
    if (!attributes.isEmpty() && !c.additionalAttributes().entrySet().containsAll(attributes.entrySet())) {
      Map<String, Object> merged = new LinkedHashMap<>(c.additionalAttributes());
      merged.putAll(attributes);
      c = c.toBuilder().additionalAttributes(merged).updatedAt(tx.now()).build();
      tx.store().updateConversation(c);
    }
    if (reopen && c.status() == ConversationStatus.SNOOZED) {
      // a snoozed conversation is already with the agents: it opens, even in a bot's inbox
      c = changeStatus(tx, c, ConversationStatus.OPEN, null, performer);
    } else if (reopen && c.status() == ConversationStatus.RESOLVED) {
      c = changeStatus(tx, c, startingStatus(inbox), null, performer);
    }
    return c;
  }

  private static Found create(WriteTx tx, Inbox inbox, ContactInbox contactInbox,
      Map<String, Object> attributes, boolean contactBlocked, Actor performer) {
    long displayId = tx.store().nextDisplayId(inbox.accountId());
    Conversation created = tx.store().insertConversation(new Conversation(0, inbox.accountId(),
        inbox.id(), contactInbox.contactId(), contactInbox.id(), Tokens.uuid(), displayId,
        contactBlocked ? ConversationStatus.RESOLVED : startingStatus(inbox), null, null, null,
        List.of(), null, null, null, tx.now(),
        attributes, Map.of(), tx.now(), tx.now()));
    tx.emit(EventType.CONVERSATION_CREATED, created.accountId(), created.inboxId(),
        created.id(), created, Map.of(), performer);
    return new Found(created, true);
  }

  /** The conversation a message goes to, and whether it was created for it. */
  public record Found(Conversation conversation, boolean created) {}

  /**
   * Moves a conversation to {@code status} and emits {@code conversation.status_changed},
   * {@code conversation.updated} and, where it applies, {@code conversation.opened} or
   * {@code conversation.resolved}. Writes no activity message.
   */
  public static Conversation changeStatus(WriteTx tx, Conversation c, ConversationStatus status,
      java.time.Instant snoozedUntil, Actor performer) {
    ConversationStatus previous = c.status();
    Conversation updated = c.toBuilder().status(status)
        .snoozedUntil(status == ConversationStatus.SNOOZED ? snoozedUntil : null)
        .updatedAt(tx.now()).build();
    tx.store().updateConversation(updated);
    Map<String, Change> changes = Map.of("status",
        new Change(previous.wireName(), status.wireName()));
    tx.emit(EventType.CONVERSATION_STATUS_CHANGED, c.accountId(), c.inboxId(), c.id(), updated,
        changes, performer);
    tx.emit(EventType.CONVERSATION_UPDATED, c.accountId(), c.inboxId(), c.id(), updated,
        changes, performer);
    if (status == ConversationStatus.OPEN) {
      tx.emit(EventType.CONVERSATION_OPENED, c.accountId(), c.inboxId(), c.id(), updated,
          changes, performer);
      if (previous == ConversationStatus.PENDING) {
        tx.emit(EventType.CONVERSATION_BOT_HANDOFF, c.accountId(), c.inboxId(), c.id(), updated,
            changes, performer);
      }
    } else if (status == ConversationStatus.RESOLVED) {
      tx.emit(EventType.CONVERSATION_RESOLVED, c.accountId(), c.inboxId(), c.id(), updated,
          changes, performer);
    }
    return updated;
  }
}
