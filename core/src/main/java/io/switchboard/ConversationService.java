package io.switchboard;

import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.internal.ConversationRules;
import io.switchboard.internal.Cursors;
import io.switchboard.internal.Engine;
import io.switchboard.internal.MessageWriter;
import io.switchboard.internal.Tokens;
import io.switchboard.internal.WriteTx;
import io.switchboard.model.Actor;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.model.Inbox;
import io.switchboard.model.Priority;
import io.switchboard.model.SenderType;
import io.switchboard.model.Team;
import io.switchboard.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Conversations: look-ups, listing, and the operations agents perform. Each operation writes
 * Chatwoot's activity message ("Conversation was marked resolved by Anna") and emits its
 * events. Thread-safe; get it from {@link Switchboard#conversations()}.
 */
public final class ConversationService {
  private final Engine engine;

  ConversationService(Engine engine) {
    this.engine = engine;
  }

  /** The conversation, or {@link NotFoundException}. */
  public Conversation get(long accountId, long conversationId) {
    return find(accountId, conversationId)
        .orElseThrow(() -> new NotFoundException("conversation", accountId, conversationId));
  }

  public Optional<Conversation> find(long accountId, long conversationId) {
    return engine.tx(tx -> tx.findConversation(accountId, conversationId));
  }

  /** The conversation with this public uuid, or {@link NotFoundException}. */
  public Conversation getByUuid(long accountId, String uuid) {
    return engine.tx(tx -> tx.findConversationByUuid(accountId, uuid))
        .orElseThrow(() -> new NotFoundException("conversation", accountId, uuid));
  }

  /** The conversation with this display id (#1, #2…), or {@link NotFoundException}. */
  public Conversation getByDisplayId(long accountId, long displayId) {
    return engine.tx(tx -> tx.findConversationByDisplayId(accountId, displayId))
        .orElseThrow(() -> new NotFoundException("conversation", accountId, "#" + displayId));
  }

  /**
   * The contact inbox's most recent conversation, or its most recent one that is not resolved
   * when {@code includeResolved} is false: the conversation a widget visitor sees.
   */
  public Optional<Conversation> findLatest(long accountId, long contactInboxId,
      boolean includeResolved) {
    return engine.tx(tx -> tx.findLatestConversation(accountId, contactInboxId, includeResolved));
  }

  /**
   * Conversations matching {@code filter}, most recent activity first, {@code limit} per page;
   * pass the previous page's cursor (null for the first page).
   */
  public Page<Conversation> list(long accountId, ConversationFilter filter, String cursor,
      int limit) {
    int size = Cursors.limit(limit);
    long[] position = cursor == null ? null : Cursors.decodePosition(cursor);
    Instant afterActivity = position == null ? null : Instant.ofEpochMilli(position[0]);
    long afterId = position == null ? 0 : position[1];
    List<Conversation> rows = engine.tx(tx -> tx.queryConversations(accountId,
        filter == null ? ConversationFilter.all() : filter, afterActivity, afterId, size + 1));
    if (rows.size() <= size) {
      return new Page<>(rows, null);
    }
    List<Conversation> page = rows.subList(0, size);
    Conversation last = page.get(size - 1);
    return new Page<>(page, Cursors.encodePosition(last.lastActivityAt(), last.id()));
  }

  /**
   * Starts a conversation with a contact in one of the contact's inboxes, as an agent does
   * before an outbound message. Emits {@code conversation.created}.
   */
  public Conversation create(long accountId, long contactInboxId, Actor performer) {
    return engine.write(tx -> {
      ContactInbox ci = tx.store().lockContactInbox(accountId, contactInboxId)
          .orElseThrow(() -> new NotFoundException("contact inbox", accountId, contactInboxId));
      Inbox inbox = tx.store().findInbox(accountId, ci.inboxId()).orElseThrow();
      long displayId = tx.store().nextDisplayId(accountId);
      Conversation created = tx.store().insertConversation(new Conversation(0, accountId,
          inbox.id(), ci.contactId(), ci.id(), Tokens.uuid(), displayId,
          ConversationRules.startingStatus(inbox), null, null, null, List.of(), null, null,
          null, tx.now(), Map.of(), Map.of(), tx.now(), tx.now()));
      tx.emit(EventType.CONVERSATION_CREATED, accountId, inbox.id(), created.id(), created,
          Map.of(), performer);
      return created;
    });
  }

  /**
   * Changes the status. {@code snoozedUntil} is used for {@code snoozed} only: when it passes,
   * a timer reopens the conversation (see {@link Switchboard.Builder#snoozeCheckInterval});
   * null snoozes until the contact's next message.
   */
  public Conversation changeStatus(long accountId, long conversationId, ConversationStatus status,
      Instant snoozedUntil, Actor performer) {
    Objects.requireNonNull(status, "status");
    return engine.write(tx -> {
      Conversation c = lock(tx, accountId, conversationId);
      if (c.status() == status && (status != ConversationStatus.SNOOZED
          || Objects.equals(c.snoozedUntil(), snoozedUntil))) {
        return c;
      }
      Conversation updated = ConversationRules.changeStatus(tx, c, status, snoozedUntil, performer);
      String text = switch (status) {
        case RESOLVED -> "Conversation was marked resolved by " + performer.name();
        case OPEN -> "Conversation was reopened by " + performer.name();
        case PENDING -> "Conversation was marked as pending by " + performer.name();
        case SNOOZED -> "Conversation was snoozed by " + performer.name();
      };
      if (performer.type() == SenderType.SYSTEM && status == ConversationStatus.RESOLVED) {
        text = "Conversation was resolved by system";
      }
      return MessageWriter.activity(tx, updated, text, performer).conversation();
    });
  }

  /** Assigns an agent of the account (null unassigns). Emits {@code assignee.changed}. */
  public Conversation assign(long accountId, long conversationId, Long assigneeId,
      Actor performer) {
    return engine.write(tx -> {
      Conversation c = lock(tx, accountId, conversationId);
      if (Objects.equals(c.assigneeId(), assigneeId)) {
        return c;
      }
      User assignee = null;
      if (assigneeId != null) {
        tx.store().findAccountUser(accountId, assigneeId)
            .orElseThrow(() -> new NotFoundException("agent", accountId, assigneeId));
        assignee = tx.store().findUser(assigneeId).orElseThrow();
      }
      Conversation updated = c.toBuilder().assigneeId(assigneeId).updatedAt(tx.now()).build();
      tx.store().updateConversation(updated);
      Map<String, Change> changes = Map.of("assignee_id", new Change(c.assigneeId(), assigneeId));
      tx.emit(EventType.ASSIGNEE_CHANGED, accountId, c.inboxId(), c.id(), updated, changes, performer);
      tx.emit(EventType.CONVERSATION_UPDATED, accountId, c.inboxId(), c.id(), updated, changes, performer);
      String text;
      if (assignee == null) {
        text = "Conversation unassigned by " + performer.name();
      } else if (performer.type() == SenderType.USER && assigneeId.equals(performer.id())) {
        text = performer.name() + " self-assigned this conversation";
      } else {
        text = "Assigned to " + assignee.name() + " by " + performer.name();
      }
      return MessageWriter.activity(tx, updated, text, performer).conversation();
    });
  }

  /** Assigns a team of the account (null removes it). Emits {@code team.changed}. */
  public Conversation assignTeam(long accountId, long conversationId, Long teamId,
      Actor performer) {
    return engine.write(tx -> {
      Conversation c = lock(tx, accountId, conversationId);
      if (Objects.equals(c.teamId(), teamId)) {
        return c;
      }
      Team team = teamId == null ? null : tx.store().findTeam(accountId, teamId)
          .orElseThrow(() -> new NotFoundException("team", accountId, teamId));
      Team previous = c.teamId() == null ? null
          : tx.store().findTeam(accountId, c.teamId()).orElse(null);
      Conversation updated = c.toBuilder().teamId(teamId).updatedAt(tx.now()).build();
      tx.store().updateConversation(updated);
      Map<String, Change> changes = Map.of("team_id", new Change(c.teamId(), teamId));
      tx.emit(EventType.TEAM_CHANGED, accountId, c.inboxId(), c.id(), updated, changes, performer);
      tx.emit(EventType.CONVERSATION_UPDATED, accountId, c.inboxId(), c.id(), updated, changes, performer);
      String text = team == null
          ? "Unassigned from " + (previous == null ? "team" : previous.name()) + " by " + performer.name()
          : "Assigned to " + team.name() + " by " + performer.name();
      return MessageWriter.activity(tx, updated, text, performer).conversation();
    });
  }

  /** Sets the priority (null removes it). */
  public Conversation setPriority(long accountId, long conversationId, Priority priority,
      Actor performer) {
    return engine.write(tx -> {
      Conversation c = lock(tx, accountId, conversationId);
      if (c.priority() == priority) {
        return c;
      }
      Conversation updated = c.toBuilder().priority(priority).updatedAt(tx.now()).build();
      tx.store().updateConversation(updated);
      Map<String, Change> changes = Map.of("priority", new Change(
          c.priority() == null ? null : c.priority().wireName(),
          priority == null ? null : priority.wireName()));
      tx.emit(EventType.CONVERSATION_UPDATED, accountId, c.inboxId(), c.id(), updated, changes, performer);
      String text;
      if (priority == null) {
        text = performer.name() + " removed the priority";
      } else if (c.priority() == null) {
        text = performer.name() + " set the priority to " + priority.wireName();
      } else {
        text = performer.name() + " changed the priority from " + c.priority().wireName()
            + " to " + priority.wireName();
      }
      return MessageWriter.activity(tx, updated, text, performer).conversation();
    });
  }

  /** Adds labels (lower-cased, trimmed). */
  public Conversation addLabels(long accountId, long conversationId, List<String> labels,
      Actor performer) {
    return updateLabels(accountId, conversationId, labels, true, performer);
  }

  /** Removes labels. */
  public Conversation removeLabels(long accountId, long conversationId, List<String> labels,
      Actor performer) {
    return updateLabels(accountId, conversationId, labels, false, performer);
  }

  private Conversation updateLabels(long accountId, long conversationId, List<String> labels,
      boolean add, Actor performer) {
    List<String> normalized = new ArrayList<>();
    for (String l : labels) {
      String n = l == null ? "" : l.strip().toLowerCase(java.util.Locale.ROOT);
      if (!n.matches("[\\p{L}\\p{N}_-]{1,255}")) {
        throw new ValidationException("labels", "'" + l + "' is not a label: use letters, "
            + "digits, '_' and '-'");
      }
      normalized.add(n);
    }
    return engine.write(tx -> {
      Conversation c = lock(tx, accountId, conversationId);
      TreeSet<String> next = new TreeSet<>(c.labels());
      List<String> touched = new ArrayList<>();
      for (String l : normalized) {
        if (add ? next.add(l) : next.remove(l)) {
          touched.add(l);
        }
      }
      if (touched.isEmpty()) {
        return c;
      }
      Conversation updated = c.toBuilder().labels(List.copyOf(next)).updatedAt(tx.now()).build();
      tx.store().updateConversation(updated);
      tx.store().setConversationLabels(accountId, c.id(), updated.labels());
      tx.emit(EventType.CONVERSATION_UPDATED, accountId, c.inboxId(), c.id(), updated,
          Map.of("label_list", new Change(c.labels(), updated.labels())), performer);
      String text = performer.name() + (add ? " added " : " removed ") + String.join(", ", touched);
      return MessageWriter.activity(tx, updated, text, performer).conversation();
    });
  }

  /**
   * Merges custom attributes (a null value removes the key). Emits
   * {@code conversation.updated}; like Chatwoot, it writes no activity message.
   */
  public Conversation setCustomAttributes(long accountId, long conversationId,
      Map<String, Object> attributes, Actor performer) {
    return engine.write(tx -> {
      Conversation c = lock(tx, accountId, conversationId);
      Map<String, Object> merged = ContactService.merge(c.customAttributes(), attributes);
      if (merged.equals(c.customAttributes())) {
        return c;
      }
      Conversation updated = c.toBuilder().customAttributes(merged).updatedAt(tx.now()).build();
      tx.store().updateConversation(updated);
      tx.emit(EventType.CONVERSATION_UPDATED, accountId, c.inboxId(), c.id(), updated,
          Map.of("custom_attributes", new Change(c.customAttributes(), new LinkedHashMap<>(merged))),
          performer);
      return updated;
    });
  }

  /** An agent read the conversation. Emits {@code conversation.read}. */
  public void markRead(long accountId, long conversationId, Actor performer) {
    engine.write(tx -> {
      Conversation c = tx.store().findConversation(accountId, conversationId)
          .orElseThrow(() -> new NotFoundException("conversation", accountId, conversationId));
      tx.emit(EventType.CONVERSATION_READ, accountId, c.inboxId(), c.id(), c, Map.of(), performer);
      return null;
    });
  }

  /** Someone started or stopped typing. Emits {@code conversation.typing_on|off}. */
  public void typing(long accountId, long conversationId, boolean on, Actor performer) {
    typing(accountId, conversationId, on, false, performer);
  }

  /**
   * Someone started or stopped typing; {@code privateNote} when an agent types a private note.
   * Emits {@code conversation.typing_on|off}, whose {@code changed_attributes} carry
   * {@code is_private} for a private note: the contact is never told about one.
   */
  public void typing(long accountId, long conversationId, boolean on, boolean privateNote,
      Actor performer) {
    engine.write(tx -> {
      Conversation c = tx.store().findConversation(accountId, conversationId)
          .orElseThrow(() -> new NotFoundException("conversation", accountId, conversationId));
      tx.emit(on ? EventType.CONVERSATION_TYPING_ON : EventType.CONVERSATION_TYPING_OFF,
          accountId, c.inboxId(), c.id(), c,
          privateNote ? Map.of(Event.IS_PRIVATE, new Change(false, true)) : Map.of(), performer);
      return null;
    });
  }

  private static Conversation lock(WriteTx tx, long accountId, long conversationId) {
    return tx.store().lockConversation(accountId, conversationId)
        .orElseThrow(() -> new NotFoundException("conversation", accountId, conversationId));
  }
}
