package io.switchboard.event;

import io.switchboard.model.Actor;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in an account, with a snapshot of the entity as it was after the
 * change.
 *
 * @param id a random id, stable across redeliveries of this event
 * @param sequence the position in the account's event log; increases with commit order per
 *     writer, and is what a reconnecting real-time client resumes after
 * @param type what happened
 * @param accountId the account
 * @param inboxId the inbox concerned, or null
 * @param conversationId the conversation concerned, or null
 * @param data the entity snapshot, of {@link EventType#entityType()}
 * @param changedAttributes previous and current values of what changed, empty when not
 *     relevant
 * @param performer who made the change
 * @param occurredAt when it happened
 */
public record Event(
    String id,
    long sequence,
    EventType type,
    long accountId,
    Long inboxId,
    Long conversationId,
    Object data,
    Map<String, Change> changedAttributes,
    Actor performer,
    Instant occurredAt) {

  /**
   * The changed attribute of a {@code conversation.typing_on|off} event whose agent types a
   * private note (current value {@code true}).
   */
  public static final String IS_PRIVATE = "is_private";

  public Event {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    if (!type.entityType().isInstance(data)) {
      throw new IllegalArgumentException(type.wireName() + " carries a "
          + type.entityType().getSimpleName() + ", not a " + data.getClass().getSimpleName());
    }
    changedAttributes = changedAttributes == null || changedAttributes.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(changedAttributes));
    Objects.requireNonNull(performer, "performer");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  /** The message of a {@code message.*} or {@code first.reply.created} event. */
  public Message message() {
    return as(Message.class);
  }

  /** The conversation of a {@code conversation.*}, {@code assignee.*} or {@code team.*} event. */
  public Conversation conversation() {
    return as(Conversation.class);
  }

  /** The contact of a {@code contact.*} event. */
  public Contact contact() {
    return as(Contact.class);
  }

  /**
   * The inbox of an {@code inbox.*} event, without its settings (they hold the channel's
   * secrets; read them with {@code admin().inbox(...)} where needed).
   */
  public Inbox inbox() {
    return as(Inbox.class);
  }

  /**
   * Whether the event may be shown to the contact of the conversation: public messages and
   * conversation status only, never private notes, activity messages or agent-only events.
   */
  public boolean visibleToContact() {
    return switch (type) {
      case MESSAGE_CREATED, MESSAGE_UPDATED -> message().isPublic();
      case CONVERSATION_STATUS_CHANGED, CONVERSATION_OPENED, CONVERSATION_RESOLVED -> true;
      case CONVERSATION_TYPING_ON, CONVERSATION_TYPING_OFF -> !privateTyping();
      default -> false;
    };
  }

  /** Whether this is a {@code typing_on|off} event of an agent typing a private note. */
  public boolean privateTyping() {
    Change flag = changedAttributes.get(IS_PRIVATE);
    return flag != null && Boolean.TRUE.equals(flag.current());
  }

  /** What a {@code webwidget.triggered} event carries. */
  public WidgetTrigger widgetTrigger() {
    return as(WidgetTrigger.class);
  }

  private <T> T as(Class<T> type) {
    if (!type.isInstance(data)) {
      throw new IllegalStateException(this.type.wireName() + " carries no " + type.getSimpleName());
    }
    return type.cast(data);
  }

  /** Prints the event without its entity: snapshots can hold message bodies. */
  @Override
  public String toString() {
    return "Event[" + type.wireName() + " #" + sequence + " account=" + accountId
        + " conversation=" + conversationId + " id=" + id + "]";
  }
}
