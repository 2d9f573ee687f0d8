package io.switchboard.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@code webwidget.triggered} event carries: a visitor opened the web widget. Agent bots
 * and webhooks use it to greet the visitor before any message is sent.
 *
 * @param contactInboxId the visitor's contact inbox
 * @param contactId the visitor's contact
 * @param sourceId the visitor's source id in the widget inbox
 * @param conversationId the visitor's most recent conversation in the inbox, or null when there
 *     is none yet
 * @param eventInfo what the widget reported, such as {@code initiated_at}, {@code referer},
 *     {@code widget_language} and {@code browser_language}; JSON values only
 */
public record WidgetTrigger(
    long contactInboxId,
    long contactId,
    String sourceId,
    Long conversationId,
    Map<String, Object> eventInfo) {

  public WidgetTrigger {
    Objects.requireNonNull(sourceId, "sourceId");
    eventInfo = eventInfo == null || eventInfo.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(eventInfo));
  }
}
