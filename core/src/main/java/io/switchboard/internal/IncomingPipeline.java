package io.switchboard.internal;

import io.switchboard.NotFoundException;
import io.switchboard.RateLimitedException;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundEdit;
import io.switchboard.channel.InboundEvent;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.event.Change;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContactType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import io.switchboard.store.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The incoming pipeline: turns one inbound event into stored state, idempotently.
 *
 * <ol>
 *   <li>Find or create the contact inbox and contact (identifier, then email, then phone match
 *       an existing contact of the account).
 *   <li>Lock the contact inbox row, so that concurrent first messages of one contact
 *       serialise. A message whose provider id the inbox already has is a no-op.
 *   <li>Find or create the conversation with Chatwoot's rules; reopen snoozed and resolved
 *       ones.
 *   <li>Insert the message; update the conversation's activity fields; emit events.
 * </ol>
 *
 * Races end in a unique-constraint violation, and the engine runs the transaction again
 * (webhooks: the shared transaction, then the job path), where step 1 or 2 finds what the
 * winner committed.
 */
public final class IncomingPipeline {
  /** The content attribute keeping the provider's time of the last edit applied. */
  static final String EDIT_DATE = "edit_date";
  /** The content attribute keeping when the provider says a received message was sent. */
  public static final String EXTERNAL_CREATED_AT = "external_created_at";
  private final Engine engine;
  private final int floodLimit;

  public IncomingPipeline(Engine engine, int floodLimit) {
    this.engine = engine;
    this.floodLimit = floodLimit;
  }

  /** Applies one event in its own transaction. Returns the message concerned, if any. */
  public Optional<Message> apply(long accountId, long inboxId, InboundEvent event,
      boolean enforceFloodLimit) {
    return engine.write(tx -> applyIn(tx, accountId, inboxId, event, enforceFloodLimit));
  }

  /** Applies one event in the caller's transaction. Returns the message concerned, if any. */
  public Optional<Message> applyIn(WriteTx tx, long accountId, long inboxId, InboundEvent event,
      boolean enforceFloodLimit) {
    Inbox inbox = tx.inbox(accountId, inboxId)
        .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
    if (event instanceof InboundMessage m) {
      return Optional.of(message(tx, inbox, m, enforceFloodLimit));
    } else if (event instanceof InboundStatus s) {
      return status(tx, inbox, s);
    } else if (event instanceof InboundEdit e) {
      return edit(tx, inbox, e);
    }
    throw new IllegalArgumentException("unknown inbound event " + event.getClass());
  }

  private Message message(WriteTx tx, Inbox inbox, InboundMessage in, boolean enforceFloodLimit) {
    validate(in);
    StoreTx store = tx.store();
    long accountId = inbox.accountId();
    // a repeated delivery finds its contact inbox, which its first delivery created, and the
    // message once the lock is held: one look for the message serves both cases
    Identity identity = lockedIdentity(tx, inbox, in.contact());
    ContactInbox contactInbox = identity.contactInbox();
    if (in.sourceId() != null) {
      Optional<Message> seen = tx.findMessageBySourceId(accountId, inbox.id(), in.sourceId());
      if (seen.isPresent()) {
        return seen.get();
      }
    }
    if (!in.outgoing() && contactInbox.blockedAt() != null) {
      // the contact writes again: whatever block a refused send recorded is over
      SendDelivery.markBlocked(tx, contactInbox, null);
    }
    Contact contact = identity.contact() != null ? identity.contact()
        : tx.findContact(accountId, contactInbox.contactId()).orElseThrow();
    Actor performer = in.outgoing() ? Actor.system() : Actor.contact(contact);
    ConversationRules.Found found = ConversationRules.findOrCreate(tx, inbox, contactInbox,
        identity.created(), in.conversationAttributes(), !in.outgoing(), contact.blocked(),
        performer);
    Conversation conversation = found.conversation();
    boolean newConversation = found.created();
    if (enforceFloodLimit && floodLimit > 0 && store.countMessagesSince(accountId,
        conversation.id(), tx.now().minus(Duration.ofMinutes(1))) >= floodLimit) {
      throw new RateLimitedException(conversation.id(), floodLimit);
    }
    Map<String, Object> attributes = new LinkedHashMap<>(in.contentAttributes());
    if (in.sentAt() != null) {
      // the message's own time is when it was stored, in the order it arrived; the provider's
      // time is kept beside it
      attributes.putIfAbsent(EXTERNAL_CREATED_AT, in.sentAt().toString());
    }
    Object replyTo = attributes.get("in_reply_to_external_id");
    if (replyTo != null && !attributes.containsKey("in_reply_to")) {
      findBySourceOrPartId(store, accountId, inbox.id(), replyTo.toString())
          .ifPresent(m -> attributes.put("in_reply_to", m.id()));
    }
    Instant createdAt = tx.now();
    Message message = new Message(0, accountId, inbox.id(), conversation.id(),
        in.outgoing() ? MessageType.OUTGOING : MessageType.INCOMING, in.contentType(),
        in.content(), attributes, false, MessageStatus.SENT, in.sourceId(),
        in.outgoing() ? SenderType.SYSTEM : SenderType.CONTACT,
        in.outgoing() ? null : contact.id(), in.attachments(), createdAt, createdAt);
    MessageWriter.Written written = MessageWriter.write(tx, conversation, message, performer,
        in.outgoing() ? null : contact);
    if (newConversation && inbox.greetingMessage() != null && !in.outgoing()
        && !contact.blocked()) {
      Message greeting = new Message(0, accountId, inbox.id(), conversation.id(),
          MessageType.TEMPLATE, ContentType.TEXT, inbox.greetingMessage(), Map.of(), false,
          MessageStatus.SENT, null, SenderType.SYSTEM, null, List.of(), createdAt, createdAt);
      MessageWriter.write(tx, written.conversation(), greeting, Actor.system());
    }
    return written.message();
  }

  private static void validate(InboundMessage in) {
    if (in.content() != null && in.content().length() > Message.MAX_CONTENT_LENGTH) {
      throw new ValidationException("content", "is " + in.content().length()
          + " characters long; the limit is " + Message.MAX_CONTENT_LENGTH);
    }
    if (in.attachments().size() > Message.MAX_ATTACHMENTS) {
      throw new ValidationException("attachments", "has " + in.attachments().size()
          + " attachments; the limit is " + Message.MAX_ATTACHMENTS);
    }
  }

  /**
   * A sender's contact inbox, its contact when this transaction already read it, and whether
   * this transaction created the contact inbox (then it has no conversation yet).
   */
  private record Identity(ContactInbox contactInbox, Contact contact, boolean created) {}

  /**
   * The sender's contact inbox, its row locked until the transaction ends, so that concurrent
   * messages of one contact serialise. A known source id is found and locked in one statement;
   * a contact inbox created here needs no lock (no other transaction sees it before this one
   * commits, and a concurrent creator of the same source id fails on the unique key).
   */
  private static Identity lockedIdentity(WriteTx tx, Inbox inbox, InboundContact who) {
    StoreTx store = tx.store();
    long accountId = inbox.accountId();
    if (who.sourceId() == null) {
      ContactInbox found = findOrCreateByIdentifier(tx, inbox, who);
      return new Identity(store.lockContactInbox(accountId, found.id()).orElseThrow(), null,
          false);
    }
    Optional<ContactInbox> known = tx.lockContactInboxBySourceId(accountId, inbox.id(),
        who.sourceId());
    if (known.isPresent()) {
      return new Identity(known.get(), null, false);
    }
    Contact contact = matchOrCreateContact(tx, accountId, who);
    return new Identity(insertContactInbox(tx, inbox, contact, who.sourceId()), contact, true);
  }

  private static ContactInbox insertContactInbox(WriteTx tx, Inbox inbox, Contact contact,
      String sourceId) {
    return tx.store().insertContactInbox(new ContactInbox(0, inbox.accountId(), contact.id(),
        inbox.id(), sourceId, Tokens.random(24), false, tx.now()));
  }

  /**
   * Finds the contact's identity in this inbox, or creates it and, when needed, the contact. A
   * sender without a source id is found by identifier (see {@link InboundContact}).
   */
  public static ContactInbox findOrCreateContactInbox(WriteTx tx, Inbox inbox, InboundContact who) {
    if (who.sourceId() == null) {
      return findOrCreateByIdentifier(tx, inbox, who);
    }
    StoreTx store = tx.store();
    long accountId = inbox.accountId();
    Optional<ContactInbox> known = store.findContactInboxBySourceId(accountId, inbox.id(),
        who.sourceId());
    if (known.isPresent()) {
      return known.get();
    }
    return insertContactInbox(tx, inbox, matchOrCreateContact(tx, accountId, who),
        who.sourceId());
  }

  /**
   * The identifier's contact (created when the account has none) and its first contact inbox
   * in this inbox, created with a random source id when it has none. The contact row is
   * locked first, so that concurrent first messages create one contact inbox.
   */
  private static ContactInbox findOrCreateByIdentifier(WriteTx tx, Inbox inbox,
      InboundContact who) {
    StoreTx store = tx.store();
    long accountId = inbox.accountId();
    Contact contact = matchOrCreateContact(tx, accountId, who);
    store.lockContact(accountId, contact.id()).orElseThrow();
    return store.listContactInboxes(accountId, contact.id()).stream()
        .filter(ci -> ci.inboxId() == inbox.id())
        .findFirst()
        .orElseGet(() -> store.insertContactInbox(new ContactInbox(0, accountId, contact.id(),
            inbox.id(), Tokens.uuid(), Tokens.random(24), false, tx.now())));
  }

  private static Contact matchOrCreateContact(WriteTx tx, long accountId, InboundContact who) {
    StoreTx store = tx.store();
    Optional<Contact> match = Optional.empty();
    if (who.identifier() != null) {
      match = store.findContactByIdentifier(accountId, who.identifier());
    }
    if (match.isEmpty() && who.email() != null) {
      match = store.findContactByEmail(accountId, who.email().strip().toLowerCase(java.util.Locale.ROOT));
    }
    if (match.isEmpty() && who.phoneNumber() != null) {
      match = store.findContactByPhone(accountId, who.phoneNumber());
    }
    return match.orElseGet(() -> {
      Contact created = store.insertContact(new Contact(0, accountId, who.name(), who.email(),
          who.phoneNumber(), who.identifier(),
          who.email() != null || who.phoneNumber() != null || who.identifier() != null
              ? ContactType.LEAD : ContactType.VISITOR,
          who.additionalAttributes(), Map.of(), false, null, tx.now(), tx.now()));
      tx.emit(EventType.CONTACT_CREATED, accountId, null, null, created, Map.of(),
          Actor.system());
      return created;
    });
  }

  private Optional<Message> status(WriteTx tx, Inbox inbox, InboundStatus in) {
    Optional<Message> found = findBySourceOrPartId(tx.store(), inbox.accountId(), inbox.id(),
        in.messageSourceId());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(applyStatus(tx, found.get(), in.status(), in.error(), Actor.system()));
  }

  /** The message with this provider id, or whose later part has it (a multi-part send). */
  private static Optional<Message> findBySourceOrPartId(StoreTx store, long accountId,
      long inboxId, String sourceId) {
    Optional<Message> found = store.findMessageBySourceId(accountId, inboxId, sourceId);
    return found.isPresent() ? found
        : store.findMessageByPartSourceId(accountId, inboxId, sourceId);
  }

  /**
   * Moves a message's status forward, never back; a failure keeps the provider's error in
   * {@code external_error}. Emits {@code message.updated} when the status changed.
   */
  public static Message applyStatus(WriteTx tx, Message message, MessageStatus next,
      String error, Actor performer) {
    if (!message.status().canMoveTo(next)) {
      return message;
    }
    Map<String, Object> attributes = new LinkedHashMap<>(message.contentAttributes());
    if (next == MessageStatus.FAILED) {
      attributes.put("external_error", error);
    }
    Message updated = message.withStatus(next, attributes, tx.now());
    tx.store().updateMessage(updated);
    tx.emit(EventType.MESSAGE_UPDATED, message.accountId(), message.inboxId(),
        message.conversationId(), updated,
        Map.of("status", new Change(message.status().wireName(), next.wireName())), performer);
    return updated;
  }

  private Optional<Message> edit(WriteTx tx, Inbox inbox, InboundEdit in) {
    Optional<Message> found = tx.store().findMessageBySourceId(inbox.accountId(), inbox.id(),
        in.messageSourceId());
    if (found.isEmpty() || java.util.Objects.equals(found.get().content(), in.content())
        || !newerEdit(found.get(), in)) {
      return found;
    }
    Message message = found.get();
    if (in.content() != null && in.content().length() > Message.MAX_CONTENT_LENGTH) {
      throw new ValidationException("content", "is " + in.content().length()
          + " characters long; the limit is " + Message.MAX_CONTENT_LENGTH);
    }
    Map<String, Object> attributes = new LinkedHashMap<>(message.contentAttributes());
    attributes.put("previous_content", message.content());
    attributes.put("edited_at", tx.now().toString());
    if (in.editedAt() != null) {
      attributes.put(EDIT_DATE, in.editedAt().toString());
    }
    Message updated = message.withContent(in.content(), attributes, tx.now());
    tx.store().updateMessage(updated);
    tx.emit(EventType.MESSAGE_UPDATED, message.accountId(), message.inboxId(),
        message.conversationId(), updated,
        Map.of("content", new Change(message.content(), in.content())), Actor.system());
    return Optional.of(updated);
  }

  /** Whether the edit is newer than the last one applied to the message, when both say when. */
  private static boolean newerEdit(Message message, InboundEdit in) {
    Object applied = message.contentAttributes().get(EDIT_DATE);
    if (in.editedAt() == null || applied == null) {
      return true;
    }
    try {
      return in.editedAt().isAfter(Instant.parse(applied.toString()));
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }
}
