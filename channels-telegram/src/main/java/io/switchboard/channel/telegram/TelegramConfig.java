package io.switchboard.channel.telegram;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * How the Telegram channel talks to the Bot API. Immutable.
 *
 * @param baseUrl the Bot API's base URL, {@code https://api.telegram.org} by default; tests
 *     point it at a local server
 * @param acceptGroupChats whether messages from group, supergroup and channel chats are
 *     ingested; by default only private chats (and business chats) are, the others are
 *     acknowledged and ignored
 */
public record TelegramConfig(String baseUrl, boolean acceptGroupChats) {
  /** The public Bot API. */
  public static final String DEFAULT_BASE_URL = "https://api.telegram.org";

  public TelegramConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (HttpUrl.parse(baseUrl) == null) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL, got '" + baseUrl + "'");
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The public Bot API, private chats only. */
  public static TelegramConfig defaults() {
    return new TelegramConfig(DEFAULT_BASE_URL, false);
  }

  /** This configuration with another Bot API base URL. */
  public TelegramConfig withBaseUrl(String value) {
    return new TelegramConfig(value, acceptGroupChats);
  }

  /** This configuration accepting (or not) group, supergroup and channel chats. */
  public TelegramConfig withGroupChats(boolean value) {
    return new TelegramConfig(baseUrl, value);
  }
}
