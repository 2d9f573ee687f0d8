package io.switchboard;

import io.switchboard.event.Change;
import io.switchboard.event.EventType;
import io.switchboard.internal.Cursors;
import io.switchboard.internal.Engine;
import io.switchboard.internal.WriteTx;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContactType;
import io.switchboard.store.StoreConflictException;
import io.switchboard.store.StoreTx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Contacts: create, update, find, list, and identify-and-merge. Thread-safe; get it from
 * {@link Switchboard#contacts()}.
 */
public final class ContactService {
  private final Engine engine;

  ContactService(Engine engine) {
    this.engine = engine;
  }

  /**
   * Creates a contact. Emits {@code contact.created}.
   *
   * @throws ConflictException when the email or identifier is taken in the account
   */
  public Contact create(long accountId, ContactDraft draft, Actor performer) {
    return engine.write(tx -> {
      tx.store().findAccount(accountId)
          .orElseThrow(() -> new NotFoundException("account", accountId, accountId));
      Contact candidate = new Contact(0, accountId, draft.name(), draft.email(),
          draft.phoneNumber(), draft.identifier(),
          draft.contactType() != null ? draft.contactType()
              : draft.email() != null || draft.phoneNumber() != null ? ContactType.LEAD
              : ContactType.VISITOR,
          clean(draft.additionalAttributes()), clean(draft.customAttributes()),
          Boolean.TRUE.equals(draft.blocked()), null, tx.now(), tx.now());
      checkUnique(tx.store(), candidate);
      Contact created = tx.store().insertContact(candidate);
      tx.emit(EventType.CONTACT_CREATED, accountId, null, null, created, Map.of(), performer);
      return created;
    });
  }

  /** The contact, or {@link NotFoundException}. */
  public Contact get(long accountId, long contactId) {
    return find(accountId, contactId)
        .orElseThrow(() -> new NotFoundException("contact", accountId, contactId));
  }

  public Optional<Contact> find(long accountId, long contactId) {
    return engine.tx(tx -> tx.findContact(accountId, contactId));
  }

  public Optional<Contact> findByIdentifier(long accountId, String identifier) {
    return engine.tx(tx -> tx.findContactByIdentifier(accountId, identifier));
  }

  /** Finds by email, ignoring case. */
  public Optional<Contact> findByEmail(long accountId, String email) {
    return engine.tx(tx -> tx.findContactByEmail(accountId,
        email.strip().toLowerCase(java.util.Locale.ROOT)));
  }

  public Optional<Contact> findByPhone(long accountId, String phoneNumber) {
    return engine.tx(tx -> tx.findContactByPhone(accountId, phoneNumber));
  }

  /** Contacts by id, {@code limit} at a time; pass the previous page's cursor for the next. */
  public Page<Contact> list(long accountId, String cursor, int limit) {
    int size = Cursors.limit(limit);
    long after = cursor == null ? 0 : Cursors.decodeId(cursor);
    List<Contact> rows = engine.tx(tx -> tx.listContacts(accountId, after, size + 1));
    if (rows.size() <= size) {
      return new Page<>(rows, null);
    }
    List<Contact> page = rows.subList(0, size);
    return new Page<>(page, Cursors.encodeId(page.get(size - 1).id()));
  }

  /**
   * The contact inbox whose pubsub token this is: the credential a contact's real-time client
   * (the widget) presents. The only contact look-up not scoped by account, because the token
   * itself is the proof.
   */
  public Optional<ContactInbox> findByPubsubToken(String pubsubToken) {
    if (pubsubToken == null || pubsubToken.isBlank()) {
      return Optional.empty();
    }
    return engine.tx(tx -> tx.findContactInboxByPubsubToken(pubsubToken));
  }

  /** The contact inbox (a contact's identity in one inbox) with this id. */
  public Optional<ContactInbox> findContactInbox(long accountId, long contactInboxId) {
    return engine.tx(tx -> tx.findContactInbox(accountId, contactInboxId));
  }

  /**
   * Finds the contact inbox with {@code who}'s source id in the inbox, or creates it, with a
   * new pubsub token, and a contact matched by identifier, then email, then phone, or a new
   * one ({@code contact.created}): what a widget does for a new visitor before any message.
   * Idempotent per source id, also under concurrency.
   *
   * @throws NotFoundException when the inbox is not in the account
   */
  public ContactInbox findOrCreateContactInbox(long accountId, long inboxId,
      io.switchboard.channel.InboundContact who) {
    java.util.Objects.requireNonNull(who, "who");
    return engine.write(tx -> {
      io.switchboard.model.Inbox inbox = tx.store().findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      return io.switchboard.internal.IncomingPipeline.findOrCreateContactInbox(tx, inbox, who);
    });
  }

  /**
   * Marks the contact inbox as verified with the inbox's HMAC (a widget's {@code set_user}
   * with a valid {@code identifier_hash}). Returns it as it is now.
   */
  public ContactInbox markHmacVerified(long accountId, long contactInboxId) {
    return engine.tx(tx -> {
      ContactInbox ci = tx.findContactInbox(accountId, contactInboxId)
          .orElseThrow(() -> new NotFoundException("contact inbox", accountId, contactInboxId));
      if (ci.hmacVerified()) {
        return ci;
      }
      ContactInbox verified = hmacVerified(ci);
      tx.updateContactInbox(verified);
      return verified;
    });
  }

  private static ContactInbox hmacVerified(ContactInbox ci) {
    return new ContactInbox(ci.id(), ci.accountId(), ci.contactId(), ci.inboxId(), ci.sourceId(),
        ci.pubsubToken(), true, ci.createdAt(), ci.blockedAt());
  }

  /** The contact's identities in the account's inboxes. */
  public List<ContactInbox> contactInboxes(long accountId, long contactId) {
    return engine.tx(tx -> {
      tx.findContact(accountId, contactId)
          .orElseThrow(() -> new NotFoundException("contact", accountId, contactId));
      return tx.listContactInboxes(accountId, contactId);
    });
  }

  /**
   * Changes a contact. Emits {@code contact.updated} with the changed attributes.
   *
   * @throws ConflictException when the new email or identifier is taken
   */
  public Contact update(long accountId, long contactId, ContactDraft draft, Actor performer) {
    return engine.write(tx -> update(tx, accountId, contactId, draft, performer));
  }

  private Contact update(WriteTx tx, long accountId, long contactId, ContactDraft draft,
      Actor performer) {
    Contact c = tx.store().findContact(accountId, contactId)
        .orElseThrow(() -> new NotFoundException("contact", accountId, contactId));
    Contact updated = new Contact(c.id(), accountId,
        draft.name() != null ? draft.name() : c.name(),
        draft.email() != null ? draft.email() : c.email(),
        draft.phoneNumber() != null ? draft.phoneNumber() : c.phoneNumber(),
        draft.identifier() != null ? draft.identifier() : c.identifier(),
        draft.contactType() != null ? draft.contactType() : c.contactType(),
        merge(c.additionalAttributes(), draft.additionalAttributes()),
        merge(c.customAttributes(), draft.customAttributes()),
        draft.blocked() != null ? draft.blocked() : c.blocked(),
        c.lastActivityAt(), c.createdAt(), tx.now());
    checkUnique(tx.store(), updated);
    Map<String, Change> changes = new LinkedHashMap<>();
    AdminService.diff(changes, "name", c.name(), updated.name());
    AdminService.diff(changes, "email", c.email(), updated.email());
    AdminService.diff(changes, "phone_number", c.phoneNumber(), updated.phoneNumber());
    AdminService.diff(changes, "identifier", c.identifier(), updated.identifier());
    AdminService.diff(changes, "contact_type", c.contactType().wireName(),
        updated.contactType().wireName());
    AdminService.diff(changes, "additional_attributes", c.additionalAttributes(),
        updated.additionalAttributes());
    AdminService.diff(changes, "custom_attributes", c.customAttributes(),
        updated.customAttributes());
    AdminService.diff(changes, "blocked", c.blocked(), updated.blocked());
    if (changes.isEmpty()) {
      return c;
    }
    tx.store().updateContact(updated);
    tx.emit(EventType.CONTACT_UPDATED, accountId, null, null, updated, changes, performer);
    return updated;
  }

  /** The most {@code eventInfo} of {@link #widgetTriggered} may hold, as JSON: 8 KiB. */
  public static final int MAX_EVENT_INFO_BYTES = 8 * 1024;

  /**
   * A visitor opened the web widget: emits {@code webwidget.triggered} with a {@link
   * io.switchboard.event.WidgetTrigger} for the contact inbox and its most recent conversation,
   * which webhooks subscribed to {@code webwidget_triggered} and the inbox's agent bot receive.
   * Writes nothing else.
   *
   * @param eventInfo what the widget reports (JSON values), at most {@value
   *     #MAX_EVENT_INFO_BYTES} bytes as JSON
   * @throws NotFoundException when the contact inbox is not in the account
   * @throws ValidationException when {@code eventInfo} is too large or not JSON
   */
  public void widgetTriggered(long accountId, long contactInboxId, Map<String, Object> eventInfo,
      Actor performer) {
    Map<String, Object> info = eventInfo == null ? Map.of() : eventInfo;
    String json;
    try {
      json = io.switchboard.internal.Json.write(info);
    } catch (RuntimeException e) {
      throw new ValidationException("event_info", "must hold JSON values only");
    }
    if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_EVENT_INFO_BYTES) {
      throw new ValidationException("event_info",
          "is larger than " + MAX_EVENT_INFO_BYTES + " bytes");
    }
    Map<String, Object> copy = io.switchboard.internal.Json.readMap(json);
    java.util.Objects.requireNonNull(performer, "performer");
    engine.write(tx -> {
      ContactInbox ci = tx.store().findContactInbox(accountId, contactInboxId)
          .orElseThrow(() -> new NotFoundException("contact inbox", accountId, contactInboxId));
      Long conversationId = tx.store().findLatestConversation(accountId, ci.id(), true)
          .map(io.switchboard.model.Conversation::id).orElse(null);
      tx.emit(EventType.WEBWIDGET_TRIGGERED, accountId, ci.inboxId(), conversationId,
          new io.switchboard.event.WidgetTrigger(ci.id(), ci.contactId(), ci.sourceId(),
              conversationId, copy), Map.of(), performer);
      return null;
    });
  }

  /**
   * Identifies a contact, as a widget's {@code setUser} or a sign-in does: when another
   * contact of the account already has the identifier (first), else the email, else the phone
   * number, this contact is merged into that one; then the remaining fields are applied. An
   * email or phone number of a contact identified as someone else (by the given identifier, or
   * else this contact's own) is never taken over: no merge, and that email is not applied.
   * Returns the surviving contact.
   */
  public Contact identify(long accountId, long contactId, ContactDraft identity, Actor performer) {
    return engine.write(tx -> identify(tx, tx.store().findContact(accountId, contactId)
        .orElseThrow(() -> new NotFoundException("contact", accountId, contactId)), identity,
        performer));
  }

  /**
   * Identifies the visitor of a contact inbox in an inbox that verifies identities with an
   * HMAC (a web widget's {@code set_user}, contact form or pre-chat form): {@link #identify}
   * under these rules, in one transaction, so that a visitor whose identity is not verified
   * never takes over a verified contact (one with an {@code hmac_verified} contact inbox):
   *
   * <ul>
   *   <li>{@code verified} (the inbox checked the identifier's HMAC): the contact is identified
   *       and the contact inbox marked {@code hmac_verified}.
   *   <li>not verified: {@link VerificationRequiredException} when the contact is verified
   *       while this contact inbox is not, when it is verified and the identifier would change,
   *       or when the identifier, email or phone number belongs to another verified contact.
   *   <li>when the surviving contact is verified, each of its contact inboxes that is not, in
   *       an inbox of the same channel, moves with its conversations to a new visitor contact
   *       ({@code contact.created}): a visitor who claimed an identifier, email or phone
   *       number before its owner verified it does not share the verified contact.
   * </ul>
   *
   * <p>The contact inbox and the contacts involved are locked, so that a concurrent
   * verification of the same contact serialises with this. Returns the surviving contact.
   *
   * @throws NotFoundException when the contact inbox is not in the account
   */
  public Contact identifyVisitor(long accountId, long contactInboxId, ContactDraft identity,
      boolean verified, Actor performer) {
    java.util.Objects.requireNonNull(identity, "identity");
    return engine.write(tx -> {
      StoreTx store = tx.store();
      ContactInbox ci = store.lockContactInbox(accountId, contactInboxId)
          .orElseThrow(() -> new NotFoundException("contact inbox", accountId, contactInboxId));
      Contact current = store.lockContact(accountId, ci.contactId()).orElseThrow();
      if (!verified) {
        checkUnverifiedMayIdentify(store, ci, current, identity);
      }
      Contact survivor = identify(tx, current, identity, performer);
      if (verified && !ci.hmacVerified()) {
        // identify may have moved the contact inbox to the contact it merged into
        store.updateContactInbox(hmacVerified(store.findContactInbox(accountId, ci.id())
            .orElseThrow()));
      }
      detachUnverified(tx, survivor, store.findInbox(accountId, ci.inboxId()).orElseThrow()
          .channelType());
      return survivor;
    });
  }

  private static void checkUnverifiedMayIdentify(StoreTx store, ContactInbox ci, Contact current,
      ContactDraft identity) {
    long accountId = ci.accountId();
    String identifier = identity.identifier() == null ? null : identity.identifier().strip();
    if (isVerified(store, current)
        && (!ci.hmacVerified() || identifier != null && !identifier.equals(current.identifier()))) {
      throw new VerificationRequiredException("contact " + current.id() + " is verified: "
          + "changing it needs a verified identity");
    }
    List<Optional<Contact>> candidates = new ArrayList<>();
    if (identifier != null) {
      candidates.add(store.findContactByIdentifier(accountId, identifier));
    }
    if (identity.email() != null) {
      candidates.add(store.findContactByEmail(accountId,
          identity.email().strip().toLowerCase(java.util.Locale.ROOT)));
    }
    if (identity.phoneNumber() != null) {
      candidates.add(store.findContactByPhone(accountId, identity.phoneNumber().strip()));
    }
    for (Optional<Contact> candidate : candidates) {
      if (candidate.isPresent() && candidate.get().id() != current.id()) {
        // locked, so that a verification of it committing meanwhile is seen here
        Contact other = store.lockContact(accountId, candidate.get().id()).orElseThrow();
        if (isVerified(store, other)) {
          throw new VerificationRequiredException("contact " + other.id() + " is verified: "
              + "taking its identity needs a verified identity");
        }
      }
    }
  }

  private static boolean isVerified(StoreTx store, Contact contact) {
    return store.listContactInboxes(contact.accountId(), contact.id()).stream()
        .anyMatch(ContactInbox::hmacVerified);
  }

  /**
   * When {@code contact} is verified, moves each of its unverified contact inboxes in inboxes
   * of {@code channel} to a new visitor contact of its own.
   */
  private static void detachUnverified(WriteTx tx, Contact contact, ChannelType channel) {
    StoreTx store = tx.store();
    long accountId = contact.accountId();
    store.lockContact(accountId, contact.id()).orElseThrow();
    List<ContactInbox> inboxes = store.listContactInboxes(accountId, contact.id());
    if (inboxes.stream().noneMatch(ContactInbox::hmacVerified)) {
      return;
    }
    Map<Long, ChannelType> channels = new HashMap<>();
    for (ContactInbox other : inboxes) {
      if (other.hmacVerified() || channels.computeIfAbsent(other.inboxId(), id ->
          store.findInbox(accountId, id).orElseThrow().channelType()) != channel) {
        continue;
      }
      Contact visitor = store.insertContact(new Contact(0, accountId, null, null, null, null,
          ContactType.VISITOR, Map.of(), Map.of(), false, null, tx.now(), tx.now()));
      tx.emit(EventType.CONTACT_CREATED, accountId, null, null, visitor, Map.of(),
          Actor.system());
      store.reassignContactInbox(accountId, other.id(), contact.id(), visitor.id());
    }
  }

  private Contact identify(WriteTx tx, Contact current, ContactDraft identity,
      Actor performer) {
    long accountId = current.accountId();
    String identifier = identity.identifier() == null ? null : identity.identifier().strip();
    String email = identity.email() == null ? null
        : identity.email().strip().toLowerCase(java.util.Locale.ROOT);
    Optional<Contact> existing = Optional.empty();
    if (identifier != null) {
      existing = tx.store().findContactByIdentifier(accountId, identifier);
    }
    boolean identifierWasFree = identifier != null && existing.isEmpty();
    boolean emailWasFree = false;
    if (existing.isEmpty() && email != null) {
      existing = tx.store().findContactByEmail(accountId, email);
      emailWasFree = existing.isEmpty();
    }
    if (existing.isEmpty() && identity.phoneNumber() != null) {
      existing = tx.store().findContactByPhone(accountId, identity.phoneNumber().strip());
    }
    Contact base = current;
    ContactDraft applied = identity;
    if (existing.isPresent() && existing.get().id() != current.id()) {
      Contact target = existing.get();
      if (identifiedDifferently(target, identifier != null ? identifier : current.identifier())) {
        // the email or phone belongs to another identified person: never take it over
        applied = new ContactDraft(identity.name(), null, null, identity.identifier(),
            identity.contactType(), identity.additionalAttributes(),
            identity.customAttributes(), identity.blocked());
      } else {
        base = merge(tx, target, current, performer);
      }
    }
    long baseId = base.id();
    if (applied.email() != null) {
      String survivorIdentifier = identifier != null ? identifier : base.identifier();
      boolean ownedByAnotherPerson = tx.store().findContactByEmail(accountId, email)
          .filter(o -> o.id() != baseId && identifiedDifferently(o, survivorIdentifier))
          .isPresent();
      if (ownedByAnotherPerson) {
        applied = applied.withEmail(null);
      }
    }
    try {
      return update(tx, accountId, baseId, applied, performer);
    } catch (ConflictException e) {
      if (identifierWasFree || emailWasFree) {
        // under read committed a concurrent identify took the identifier or email after the
        // look-up above: run again, and the look-up finds the contact to merge into
        throw new StoreConflictException("a concurrent identify took this identifier or "
            + "email", e);
      }
      throw e;
    }
  }

  /** Whether {@code contact} is identified as someone other than {@code identifier}. */
  private static boolean identifiedDifferently(Contact contact, String identifier) {
    return contact.identifier() != null && identifier != null
        && !contact.identifier().equals(identifier);
  }

  /**
   * Merges {@code mergeeId} into {@code baseId}: moves its contact inboxes, conversations and
   * messages, fills the base's missing fields from it, and deletes it. Emits
   * {@code contact.merged} with the surviving contact.
   */
  public Contact merge(long accountId, long baseId, long mergeeId, Actor performer) {
    if (baseId == mergeeId) {
      throw new ValidationException("mergeeId", "cannot merge a contact into itself");
    }
    return engine.write(tx -> {
      Contact base = tx.store().findContact(accountId, baseId)
          .orElseThrow(() -> new NotFoundException("contact", accountId, baseId));
      Contact mergee = tx.store().findContact(accountId, mergeeId)
          .orElseThrow(() -> new NotFoundException("contact", accountId, mergeeId));
      return merge(tx, base, mergee, performer);
    });
  }

  private static Contact merge(WriteTx tx, Contact base, Contact mergee, Actor performer) {
    long accountId = base.accountId();
    tx.store().reassignContact(accountId, mergee.id(), base.id());
    Map<String, Object> additional = new LinkedHashMap<>(mergee.additionalAttributes());
    additional.putAll(base.additionalAttributes());
    Map<String, Object> custom = new LinkedHashMap<>(mergee.customAttributes());
    custom.putAll(base.customAttributes());
    tx.store().deleteContact(accountId, mergee.id());
    Contact merged = new Contact(base.id(), accountId,
        base.name() != null ? base.name() : mergee.name(),
        base.email() != null ? base.email() : mergee.email(),
        base.phoneNumber() != null ? base.phoneNumber() : mergee.phoneNumber(),
        base.identifier() != null ? base.identifier() : mergee.identifier(),
        base.contactType().ordinal() >= mergee.contactType().ordinal() ? base.contactType()
            : mergee.contactType(),
        additional, custom, base.blocked() || mergee.blocked(),
        latest(base.lastActivityAt(), mergee.lastActivityAt()), base.createdAt(), tx.now());
    tx.store().updateContact(merged);
    tx.emit(EventType.CONTACT_MERGED, accountId, null, null, merged,
        Map.of("merged_contact_id", new Change(mergee.id(), base.id())), performer);
    return merged;
  }

  private static java.time.Instant latest(java.time.Instant a, java.time.Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private static void checkUnique(StoreTx store, Contact c) {
    if (c.email() != null) {
      store.findContactByEmail(c.accountId(), c.email()).filter(o -> o.id() != c.id())
          .ifPresent(o -> {
            throw new ConflictException("another contact of account " + c.accountId()
                + " has this email");
          });
    }
    if (c.identifier() != null) {
      store.findContactByIdentifier(c.accountId(), c.identifier()).filter(o -> o.id() != c.id())
          .ifPresent(o -> {
            throw new ConflictException("another contact of account " + c.accountId()
                + " has this identifier");
          });
    }
  }

  private static Map<String, Object> clean(Map<String, Object> m) {
    return m == null ? Map.of() : m;
  }

  static Map<String, Object> merge(Map<String, Object> current, Map<String, Object> patch) {
    if (patch == null || patch.isEmpty()) {
      return current;
    }
    Map<String, Object> merged = new LinkedHashMap<>(current);
    patch.forEach((k, v) -> {
      if (v == null) {
        merged.remove(k);
      } else {
        merged.put(k, v);
      }
    });
    return merged;
  }
}
