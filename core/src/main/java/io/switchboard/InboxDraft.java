package io.switchboard;

import io.switchboard.model.ChannelType;
import java.util.Map;

/**
 * Fields to create an inbox with, or to change. On an update a null field is left as it is and
 * {@code settings} are merged key by key (a null value removes the key); the channel type never
 * changes.
 *
 * @param name the display name
 * @param channelType the channel (required on create)
 * @param settings the channel settings, secrets included
 * @param lockToSingleConversation see {@link io.switchboard.model.Inbox}
 * @param allowMessagesAfterResolved see {@link io.switchboard.model.Inbox}
 * @param botEnabled see {@link io.switchboard.model.Inbox}
 * @param greetingMessage a greeting for new conversations; empty string removes it
 */
public record InboxDraft(String name, ChannelType channelType, Map<String, String> settings,
    Boolean lockToSingleConversation, Boolean allowMessagesAfterResolved, Boolean botEnabled,
    String greetingMessage) {

  /** A new inbox of {@code channelType} with these settings. */
  public static InboxDraft of(String name, ChannelType channelType, Map<String, String> settings) {
    return new InboxDraft(name, channelType, settings, null, null, null, null);
  }

  /** An update that changes nothing yet. */
  public static InboxDraft update() {
    return new InboxDraft(null, null, null, null, null, null, null);
  }

  public InboxDraft withName(String v) {
    return new InboxDraft(v, channelType, settings, lockToSingleConversation, allowMessagesAfterResolved, botEnabled, greetingMessage);
  }

  public InboxDraft withSettings(Map<String, String> v) {
    return new InboxDraft(name, channelType, v, lockToSingleConversation, allowMessagesAfterResolved, botEnabled, greetingMessage);
  }

  public InboxDraft withLockToSingleConversation(boolean v) {
    return new InboxDraft(name, channelType, settings, v, allowMessagesAfterResolved, botEnabled, greetingMessage);
  }

  public InboxDraft withAllowMessagesAfterResolved(boolean v) {
    return new InboxDraft(name, channelType, settings, lockToSingleConversation, v, botEnabled, greetingMessage);
  }

  public InboxDraft withBotEnabled(boolean v) {
    return new InboxDraft(name, channelType, settings, lockToSingleConversation, allowMessagesAfterResolved, v, greetingMessage);
  }

  public InboxDraft withGreetingMessage(String v) {
    return new InboxDraft(name, channelType, settings, lockToSingleConversation, allowMessagesAfterResolved, botEnabled, v);
  }
}
