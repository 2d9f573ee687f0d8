package io.switchboard.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One channel instance of an account: a WhatsApp number, a Telegram bot, a mailbox, a website
 * widget or an API inbox.
 *
 * <p>{@code settings} holds the channel's configuration, secrets included (tokens, app
 * secrets, HMAC keys). {@link #toString()} never prints their values.
 *
 * @param id the inbox id
 * @param accountId the account
 * @param name the display name
 * @param channelType the channel
 * @param routingKey the key a provider's webhook is routed by (for example the WhatsApp
 *     {@code phone_number_id}); unique per channel type, may be null
 * @param settings the channel settings
 * @param lockToSingleConversation reuse the contact's last conversation, reopening it, instead
 *     of starting a new one after it was resolved
 * @param allowMessagesAfterResolved whether a contact may keep writing into a resolved
 *     conversation of a widget (otherwise a new conversation starts)
 * @param botEnabled an agent bot handles this inbox: new and reopened conversations start
 *     {@code pending}
 * @param greetingMessage an automatic greeting for new conversations, or null
 * @param reauthorizationRequired the channel's credentials were rejected by the provider
 * @param createdAt when the inbox was created
 * @param updatedAt when the inbox was last changed
 */
public record Inbox(
    long id,
    long accountId,
    String name,
    ChannelType channelType,
    String routingKey,
    Map<String, String> settings,
    boolean lockToSingleConversation,
    boolean allowMessagesAfterResolved,
    boolean botEnabled,
    String greetingMessage,
    boolean reauthorizationRequired,
    Instant createdAt,
    Instant updatedAt) {

  public Inbox {
    Values.require(name, "name");
    Objects.requireNonNull(channelType, "channelType");
    settings = Values.copy(settings);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The setting {@code key}, or null when it is not set. */
  public String setting(String key) {
    return settings.get(key);
  }

  /** Prints the setting keys only: their values may be secrets. */
  @Override
  public String toString() {
    return "Inbox[id=" + id + ", accountId=" + accountId + ", name=" + name
        + ", channelType=" + channelType.wireName() + ", settings="
        + new TreeMap<>(settings).keySet() + "]";
  }
}
