package io.switchboard.internal;

import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.store.StoreTx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a batch of stored deliveries will ask the store for, read at the start of their shared
 * transaction in one statement per kind and inbox instead of one per message (see
 * {@link StoreTx#lockContactInboxesBySourceIds}): the senders' contact inboxes (locked), which
 * of the messages the inbox already has, the senders' contacts, and their latest conversations
 * (locked).
 *
 * <p>Each answer is used once, by the first delivery that asks: a later delivery of the same
 * sender, whose earlier one may have changed what the answer describes (a conversation opened,
 * a message stored), asks the store. A contact shared by two senders of the batch is not read
 * ahead at all. Every row read ahead and locked belongs to a
 * sender of the batch, whose deliveries only this lane processes; the rows are locked in the
 * order of their keys. Built anew for each attempt of the transaction.
 */
final class BatchReads {
  private final Map<String, Optional<ContactInbox>> contactInboxes = new HashMap<>();
  private final Set<String> absentMessages = new HashSet<>();
  private final Map<Long, Contact> contacts = new HashMap<>();
  private final Map<String, Optional<Conversation>> conversations = new HashMap<>();

  private BatchReads() {}

  /**
   * Reads ahead for the messages among {@code events} whose inboxes are known, when the store
   * answers batch reads; otherwise nothing is read and every lookup goes to the store.
   */
  static BatchReads read(WriteTx tx, List<RoutedEvent> events) {
    BatchReads reads = new BatchReads();
    Map<Long, List<InboundMessage>> byInbox = new LinkedHashMap<>();
    Map<Long, Long> accounts = new HashMap<>();
    for (RoutedEvent routed : events) {
      if (routed.event() instanceof InboundMessage m && m.contact().sourceId() != null
          && !m.outgoing()) {
        byInbox.computeIfAbsent(routed.inboxId(), k -> new ArrayList<>()).add(m);
        accounts.put(routed.inboxId(), routed.accountId());
      }
    }
    for (Map.Entry<Long, List<InboundMessage>> group : byInbox.entrySet()) {
      long accountId = accounts.get(group.getKey());
      Optional<Inbox> inbox = tx.inbox(accountId, group.getKey());
      if (inbox.isEmpty() || group.getValue().size() < 2) {
        continue;
      }
      reads.readInbox(tx.store(), inbox.get(), group.getValue());
    }
    return reads;
  }

  private void readInbox(StoreTx store, Inbox inbox, List<InboundMessage> messages) {
    long accountId = inbox.accountId();
    // in a fixed order: the order the rows are locked in
    TreeSet<String> senders = new TreeSet<>();
    for (InboundMessage m : messages) {
      senders.add(m.contact().sourceId());
    }
    TreeSet<String> messageIds = new TreeSet<>();
    for (InboundMessage m : messages) {
      if (m.sourceId() != null) {
        messageIds.add(m.sourceId());
      }
    }
    if (senders.isEmpty()) {
      return;
    }
    Optional<Map<String, ContactInbox>> found =
        store.lockContactInboxesBySourceIds(accountId, inbox.id(), List.copyOf(senders));
    if (found.isEmpty()) {
      return;
    }
    for (String sender : senders) {
      contactInboxes.put(key(inbox.id(), sender), Optional.ofNullable(found.get().get(sender)));
    }
    if (!messageIds.isEmpty()) {
      store.findMessageSourceIds(accountId, inbox.id(), List.copyOf(messageIds))
          .ifPresent(seen -> messageIds.stream().filter(id -> !seen.contains(id))
              .forEach(id -> absentMessages.add(key(inbox.id(), id))));
    }
    Map<Long, Integer> contactUses = new HashMap<>();
    for (ContactInbox ci : found.get().values()) {
      contactUses.merge(ci.contactId(), 1, Integer::sum);
    }
    List<Long> contactIds = contactUses.entrySet().stream().filter(e -> e.getValue() == 1)
        .map(Map.Entry::getKey).sorted().toList();
    if (!contactIds.isEmpty()) {
      store.findContacts(accountId, contactIds).ifPresent(contacts::putAll);
    }
    // the conversation a contact's message continues, as ConversationRules looks for it for
    // a contact that is not blocked (a blocked one's lookup differs and goes to the store)
    boolean includeResolved = inbox.lockToSingleConversation()
        || (inbox.channelType() == ChannelType.WEB_WIDGET && inbox.allowMessagesAfterResolved());
    List<Long> contactInboxIds = found.get().values().stream().map(ContactInbox::id).sorted()
        .toList();
    if (!contactInboxIds.isEmpty()) {
      store.lockLatestConversations(accountId, contactInboxIds, includeResolved)
          .ifPresent(latest -> {
            for (long id : contactInboxIds) {
              conversations.put(conversationKey(id, includeResolved),
                  Optional.ofNullable(latest.get(id)));
            }
          });
    }
  }

  private static String key(long inboxId, String sourceId) {
    return inboxId + ":" + sourceId;
  }

  private static String conversationKey(long contactInboxId, boolean includeResolved) {
    return contactInboxId + ":" + includeResolved;
  }

  /** The sender's contact inbox, locked, if read ahead and not yet used; else null. */
  Optional<ContactInbox> takeContactInbox(long inboxId, String sourceId) {
    return contactInboxes.remove(key(inboxId, sourceId));
  }

  /** Whether the message was read ahead as not stored, and not yet asked for. */
  boolean takeAbsentMessage(long inboxId, String sourceId) {
    return absentMessages.remove(key(inboxId, sourceId));
  }

  /** The contact, if read ahead and not yet used; else null. */
  Contact takeContact(long contactId) {
    return contacts.remove(contactId);
  }

  /** The contact inbox's latest conversation, locked, if read ahead and not yet used; else null. */
  Optional<Conversation> takeLatestConversation(long contactInboxId, boolean includeResolved) {
    return conversations.remove(conversationKey(contactInboxId, includeResolved));
  }
}
