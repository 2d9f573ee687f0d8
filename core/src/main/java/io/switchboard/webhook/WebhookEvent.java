package io.switchboard.webhook;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.switchboard.model.Wire;

/** The events an account webhook can subscribe to, with Chatwoot's names. */
public enum WebhookEvent implements Wire {
  CONVERSATION_CREATED("conversation_created"),
  CONVERSATION_UPDATED("conversation_updated"),
  CONVERSATION_STATUS_CHANGED("conversation_status_changed"),
  MESSAGE_CREATED("message_created"),
  MESSAGE_UPDATED("message_updated"),
  CONTACT_CREATED("contact_created"),
  CONTACT_UPDATED("contact_updated"),
  WEBWIDGET_TRIGGERED("webwidget_triggered"),
  INBOX_CREATED("inbox_created"),
  INBOX_UPDATED("inbox_updated"),
  CONVERSATION_TYPING_ON("conversation_typing_on"),
  CONVERSATION_TYPING_OFF("conversation_typing_off");

  private final String wireName;

  WebhookEvent(String wireName) {
    this.wireName = wireName;
  }

  /** Chatwoot's name, for example {@code message_created}: the payload's {@code event}. */
  @JsonValue
  @Override
  public String wireName() {
    return wireName;
  }

  /** The constant with this name; the error lists the accepted names. */
  @JsonCreator
  public static WebhookEvent of(String wireName) {
    return Wire.parse(WebhookEvent.class, wireName);
  }
}
