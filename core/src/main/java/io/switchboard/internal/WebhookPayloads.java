package io.switchboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.event.Change;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.event.WidgetTrigger;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import io.switchboard.store.StoreTx;
import io.switchboard.webhook.WebhookEvent;
import java.util.Map;

/** Builds Chatwoot-shaped webhook payloads from events. */
public final class WebhookPayloads {
  private static final ObjectMapper M = Json.mapper();

  private WebhookPayloads() {}

  /** The webhook event an event is delivered as, or null when webhooks never get it. */
  public static WebhookEvent webhookEvent(EventType type) {
    return switch (type) {
      case CONVERSATION_CREATED -> WebhookEvent.CONVERSATION_CREATED;
      case CONVERSATION_UPDATED -> WebhookEvent.CONVERSATION_UPDATED;
      case CONVERSATION_STATUS_CHANGED -> WebhookEvent.CONVERSATION_STATUS_CHANGED;
      case MESSAGE_CREATED -> WebhookEvent.MESSAGE_CREATED;
      case MESSAGE_UPDATED -> WebhookEvent.MESSAGE_UPDATED;
      case CONTACT_CREATED -> WebhookEvent.CONTACT_CREATED;
      case CONTACT_UPDATED -> WebhookEvent.CONTACT_UPDATED;
      case INBOX_CREATED -> WebhookEvent.INBOX_CREATED;
      case INBOX_UPDATED -> WebhookEvent.INBOX_UPDATED;
      case CONVERSATION_TYPING_ON -> WebhookEvent.CONVERSATION_TYPING_ON;
      case CONVERSATION_TYPING_OFF -> WebhookEvent.CONVERSATION_TYPING_OFF;
      case WEBWIDGET_TRIGGERED -> WebhookEvent.WEBWIDGET_TRIGGERED;
      default -> null;
    };
  }

  /** The agent-bot event name of an event, or null when bots never get it. */
  public static String agentBotEvent(EventType type) {
    return switch (type) {
      case MESSAGE_CREATED -> "message_created";
      case MESSAGE_UPDATED -> "message_updated";
      case CONVERSATION_OPENED -> "conversation_opened";
      case CONVERSATION_RESOLVED -> "conversation_resolved";
      case WEBWIDGET_TRIGGERED -> "webwidget_triggered";
      default -> null;
    };
  }

  /** The payload of {@code event} under the name {@code name}. */
  public static String build(StoreTx tx, Event event, String name) {
    ObjectNode node;
    Object data = event.data();
    if (data instanceof Message m) {
      node = message(tx, m);
    } else if (data instanceof Conversation c) {
      node = conversation(tx, c);
      if (event.type() == EventType.CONVERSATION_TYPING_ON
          || event.type() == EventType.CONVERSATION_TYPING_OFF) {
        node = M.createObjectNode().set("conversation", node);
        node.set("user", actor(event.performer()));
        node.put("is_private", event.privateTyping());
      }
    } else if (data instanceof Contact c) {
      node = contact(c);
    } else if (data instanceof Inbox i) {
      node = inbox(i);
    } else if (data instanceof WidgetTrigger w) {
      node = widgetTrigger(tx, event.accountId(), w);
    } else {
      node = M.valueToTree(data);
    }
    ObjectNode out = M.createObjectNode();
    out.put("event", name);
    out.setAll(node);
    tx.findAccount(event.accountId()).ifPresent(a -> {
      ObjectNode account = out.putObject("account");
      account.put("id", a.id());
      account.put("name", a.name());
    });
    if (event.inboxId() != null && !out.has("inbox")) {
      tx.findInbox(event.accountId(), event.inboxId()).ifPresent(i -> {
        ObjectNode inbox = out.putObject("inbox");
        inbox.put("id", i.id());
        inbox.put("name", i.name());
      });
    }
    if (!event.changedAttributes().isEmpty()) {
      ArrayNode changes = out.putArray("changed_attributes");
      for (Map.Entry<String, Change> e : event.changedAttributes().entrySet()) {
        ObjectNode change = changes.addObject().putObject(e.getKey());
        change.set("previous_value", M.valueToTree(e.getValue().previous()));
        change.set("current_value", M.valueToTree(e.getValue().current()));
      }
    }
    out.put("event_id", event.id());
    out.put("occurred_at", event.occurredAt().toString());
    return out.toString();
  }

  private static ObjectNode message(StoreTx tx, Message m) {
    ObjectNode node = M.createObjectNode();
    node.put("id", m.id());
    node.put("content", m.content());
    node.put("content_type", m.contentType().wireName());
    node.set("content_attributes", M.valueToTree(m.contentAttributes()));
    node.put("message_type", m.messageType().wireName());
    node.put("private", m.privateNote());
    node.put("status", m.status().wireName());
    node.put("source_id", m.sourceId());
    node.put("created_at", m.createdAt().toString());
    node.put("updated_at", m.updatedAt().toString());
    node.set("attachments", M.valueToTree(m.attachments()));
    node.set("sender", sender(tx, m.accountId(), m.senderType(), m.senderId()));
    tx.findConversation(m.accountId(), m.conversationId())
        .ifPresent(c -> node.set("conversation", conversation(tx, c)));
    return node;
  }

  private static ObjectNode conversation(StoreTx tx, Conversation c) {
    ObjectNode node = M.createObjectNode();
    node.put("id", c.displayId());
    node.put("uuid", c.uuid());
    node.put("account_id", c.accountId());
    node.put("inbox_id", c.inboxId());
    node.put("status", c.status().wireName());
    node.put("priority", c.priority() == null ? null : c.priority().wireName());
    node.set("labels", M.valueToTree(c.labels()));
    node.set("additional_attributes", M.valueToTree(c.additionalAttributes()));
    node.set("custom_attributes", M.valueToTree(c.customAttributes()));
    node.set("snoozed_until", M.valueToTree(c.snoozedUntil()));
    node.set("waiting_since", M.valueToTree(c.waitingSince()));
    node.set("first_reply_created_at", M.valueToTree(c.firstReplyCreatedAt()));
    node.put("last_activity_at", c.lastActivityAt().toString());
    node.put("created_at", c.createdAt().toString());
    node.put("updated_at", c.updatedAt().toString());
    ObjectNode contactInbox = node.putObject("contact_inbox");
    tx.findContactInbox(c.accountId(), c.contactInboxId()).ifPresent(ci -> {
      contactInbox.put("id", ci.id());
      contactInbox.put("contact_id", ci.contactId());
      contactInbox.put("inbox_id", ci.inboxId());
      contactInbox.put("source_id", ci.sourceId());
    });
    ObjectNode meta = node.putObject("meta");
    meta.set("sender", sender(tx, c.accountId(), SenderType.CONTACT, c.contactId()));
    meta.set("assignee", c.assigneeId() == null ? null
        : sender(tx, c.accountId(), SenderType.USER, c.assigneeId()));
    ObjectNode team = c.teamId() == null ? null : tx.findTeam(c.accountId(), c.teamId())
        .map(t -> {
          ObjectNode n = M.createObjectNode();
          n.put("id", t.id());
          n.put("name", t.name());
          return n;
        }).orElse(null);
    meta.set("team", team);
    return node;
  }

  private static ObjectNode sender(StoreTx tx, long accountId, SenderType type, Long id) {
    ObjectNode node = M.createObjectNode();
    node.put("type", type.wireName());
    if (id == null) {
      return node;
    }
    node.put("id", id);
    switch (type) {
      case CONTACT -> tx.findContact(accountId, id).ifPresent(c -> {
        node.put("name", c.name());
        node.put("email", c.email());
        node.put("phone_number", c.phoneNumber());
        node.put("identifier", c.identifier());
      });
      case USER -> tx.findUser(id).ifPresent(u -> {
        node.put("name", u.name());
        node.put("email", u.email());
      });
      case AGENT_BOT -> tx.findAgentBot(accountId, id).ifPresent(b -> node.put("name", b.name()));
      default -> { }
    }
    return node;
  }

  private static ObjectNode actor(io.switchboard.model.Actor actor) {
    ObjectNode node = M.createObjectNode();
    node.put("type", actor.type().wireName());
    if (actor.id() != null) {
      node.put("id", actor.id());
    }
    node.put("name", actor.name());
    return node;
  }

  private static ObjectNode contact(Contact c) {
    ObjectNode node = M.createObjectNode();
    node.put("id", c.id());
    node.put("name", c.name());
    node.put("email", c.email());
    node.put("phone_number", c.phoneNumber());
    node.put("identifier", c.identifier());
    node.put("contact_type", c.contactType() == null ? null : c.contactType().wireName());
    node.put("blocked", c.blocked());
    node.set("additional_attributes", M.valueToTree(c.additionalAttributes()));
    node.set("custom_attributes", M.valueToTree(c.customAttributes()));
    node.put("created_at", c.createdAt().toString());
    node.put("updated_at", c.updatedAt().toString());
    return node;
  }

  /**
   * Chatwoot's contact inbox payload: {@code id} (the contact inbox), {@code source_id}, {@code
   * contact}, {@code inbox}, {@code current_conversation} (null when there is none) and the
   * widget's {@code event_info}.
   */
  private static ObjectNode widgetTrigger(StoreTx tx, long accountId, WidgetTrigger w) {
    ObjectNode node = M.createObjectNode();
    node.put("id", w.contactInboxId());
    node.put("source_id", w.sourceId());
    node.set("contact", tx.findContact(accountId, w.contactId())
        .map(c -> (com.fasterxml.jackson.databind.JsonNode) contact(c))
        .orElse(M.nullNode()));
    tx.findContactInbox(accountId, w.contactInboxId())
        .flatMap(ci -> tx.findInbox(accountId, ci.inboxId()))
        .ifPresent(i -> node.set("inbox", inbox(i)));
    node.set("current_conversation", w.conversationId() == null ? M.nullNode()
        : tx.findConversation(accountId, w.conversationId())
            .map(c -> (com.fasterxml.jackson.databind.JsonNode) conversation(tx, c))
            .orElse(M.nullNode()));
    node.set("event_info", M.valueToTree(w.eventInfo()));
    return node;
  }

  /** Never includes the inbox's settings: they hold the channel's secrets. */
  private static ObjectNode inbox(Inbox i) {
    ObjectNode node = M.createObjectNode();
    node.put("id", i.id());
    node.put("name", i.name());
    node.put("channel_type", i.channelType().wireName());
    node.put("lock_to_single_conversation", i.lockToSingleConversation());
    node.put("allow_messages_after_resolved", i.allowMessagesAfterResolved());
    node.put("enable_agent_bot", i.botEnabled());
    node.put("greeting_message", i.greetingMessage());
    node.put("created_at", i.createdAt().toString());
    node.put("updated_at", i.updatedAt().toString());
    return node;
  }

  /** Whether a message event goes to webhooks: activity messages never do, as in Chatwoot. */
  static boolean webhookSendable(Message m) {
    return m.messageType() != MessageType.ACTIVITY;
  }
}
