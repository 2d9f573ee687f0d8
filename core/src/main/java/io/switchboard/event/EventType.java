package io.switchboard.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.Wire;

/** The events Switchboard emits, with Chatwoot's dotted names and the entity each carries. */
public enum EventType implements Wire {
  CONVERSATION_CREATED("conversation.created", Conversation.class),
  CONVERSATION_UPDATED("conversation.updated", Conversation.class),
  CONVERSATION_STATUS_CHANGED("conversation.status_changed", Conversation.class),
  CONVERSATION_OPENED("conversation.opened", Conversation.class),
  CONVERSATION_RESOLVED("conversation.resolved", Conversation.class),
  CONVERSATION_READ("conversation.read", Conversation.class),
  CONVERSATION_TYPING_ON("conversation.typing_on", Conversation.class),
  CONVERSATION_TYPING_OFF("conversation.typing_off", Conversation.class),
  CONVERSATION_BOT_HANDOFF("conversation.bot_handoff", Conversation.class),
  ASSIGNEE_CHANGED("assignee.changed", Conversation.class),
  TEAM_CHANGED("team.changed", Conversation.class),
  MESSAGE_CREATED("message.created", Message.class),
  MESSAGE_UPDATED("message.updated", Message.class),
  FIRST_REPLY_CREATED("first.reply.created", Message.class),
  CONTACT_CREATED("contact.created", Contact.class),
  CONTACT_UPDATED("contact.updated", Contact.class),
  CONTACT_MERGED("contact.merged", Contact.class),
  INBOX_CREATED("inbox.created", Inbox.class),
  INBOX_UPDATED("inbox.updated", Inbox.class),
  /** A visitor opened the web widget; carries a {@link WidgetTrigger}. */
  WEBWIDGET_TRIGGERED("webwidget.triggered", WidgetTrigger.class),
  /** An account webhook was disabled after too many failed deliveries in a row. */
  WEBHOOK_DISABLED("webhook.disabled", io.switchboard.webhook.Webhook.class);

  private final String wireName;
  private final Class<?> entityType;

  EventType(String wireName, Class<?> entityType) {
    this.wireName = wireName;
    this.entityType = entityType;
  }

  /** The dotted name, for example {@code message.created}. */
  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The type of {@link Event#data()} for this event. */
  public Class<?> entityType() {
    return entityType;
  }

  @JsonCreator
  public static EventType of(String wireName) {
    return Wire.parse(EventType.class, wireName);
  }
}
