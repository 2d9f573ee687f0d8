package io.switchboard.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.event.Event;
import io.switchboard.model.Attachment;
import io.switchboard.model.Conversation;
import io.switchboard.model.Message;
import java.util.Set;

/**
 * What a contact (a widget visitor) may see of a message, a conversation or an event: the one
 * trimmed JSON shape that the widget API answers over HTTP and the real-time endpoint sends
 * over a contact's socket. Never labels, assignee, team, priority, custom or additional
 * attributes, changed attributes, provider ids or agent ids.
 */
public final class VisitorViews {
  /** The content attributes a contact may see: what the widget needs to show and answer. */
  private static final Set<String> PUBLIC_CONTENT_ATTRIBUTES = Set.of(
      "items", "submitted_values", "submitted_email", "in_reply_to", "deleted");
  private static final ObjectMapper M = Json.mapper();

  private VisitorViews() {}

  /** A conversation: id, uuid, status and times. */
  public static ObjectNode conversation(Conversation c) {
    ObjectNode n = M.createObjectNode();
    n.put("id", c.id());
    n.put("uuid", c.uuid());
    n.put("status", c.status().wireName());
    n.put("created_at", c.createdAt().toString());
    n.put("last_activity_at", c.lastActivityAt().toString());
    return n;
  }

  /**
   * A public message: its content, status and attachments, the content attributes of {@link
   * #PUBLIC_CONTENT_ATTRIBUTES}, and neither the provider's id nor the sender's id.
   */
  public static ObjectNode message(Message m) {
    ObjectNode n = M.createObjectNode();
    n.put("id", m.id());
    n.put("conversation_id", m.conversationId());
    n.put("message_type", m.messageType().wireName());
    n.put("content_type", m.contentType().wireName());
    n.put("content", m.content());
    ObjectNode attributes = n.putObject("content_attributes");
    m.contentAttributes().forEach((k, v) -> {
      if (PUBLIC_CONTENT_ATTRIBUTES.contains(k)) {
        attributes.set(k, M.valueToTree(v));
      }
    });
    n.put("status", m.status().wireName());
    n.put("sender_type", m.senderType().wireName());
    n.put("created_at", m.createdAt().toString());
    ArrayNode atts = n.putArray("attachments");
    for (Attachment a : m.attachments()) {
      ObjectNode an = atts.addObject();
      an.put("id", a.id());
      an.put("file_type", a.fileType().wireName());
      an.put("external_url", a.externalUrl());
      an.put("blob_key", a.blobKey());
      an.put("file_name", a.fileName());
      an.put("content_type", a.contentType());
      if (a.fileSize() != null) {
        an.put("file_size", a.fileSize());
      }
      if (a.latitude() != null && a.longitude() != null) {
        an.put("latitude", a.latitude());
        an.put("longitude", a.longitude());
      }
    }
    return n;
  }

  /**
   * An event for a contact's socket: {@code type}, {@code sequence}, {@code conversation_id},
   * {@code data} (the message or conversation view), {@code performer} (its type only) and
   * {@code occurred_at}. Only for events {@link Event#visibleToContact() visible to contacts}.
   *
   * @throws IllegalArgumentException for an event a contact may not see
   */
  public static String event(Event e) {
    if (!e.visibleToContact()) {
      throw new IllegalArgumentException(e.type().wireName() + " is not for contacts");
    }
    ObjectNode n = M.createObjectNode();
    n.put("type", e.type().wireName());
    n.put("sequence", e.sequence());
    n.put("conversation_id", e.conversationId());
    n.set("data", e.data() instanceof Message m ? message(m) : conversation(e.conversation()));
    n.putObject("performer").put("type", e.performer().type().wireName());
    n.put("occurred_at", e.occurredAt().toString());
    return n.toString();
  }
}
