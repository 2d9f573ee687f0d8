package io.switchboard.webhook;

import io.switchboard.ValidationException;

/**
 * What an agent bot is attached with: an HTTP endpoint with a secret, or the name of a
 * callback registered with {@code Switchboard.Builder.agentBot(name, listener)}.
 *
 * @param name the bot's name
 * @param url the endpoint, or null
 * @param secret the HMAC key of its signatures (at least 16 characters) with a url, else null
 * @param callback the callback name, or null
 */
public record AgentBotDraft(String name, String url, String secret, String callback) {

  public AgentBotDraft {
    if (name == null || name.isBlank()) {
      throw new ValidationException("name", "is required");
    }
    if ((url == null) == (callback == null)) {
      throw new ValidationException("url", "give either a url or a callback");
    }
    if (url != null && (secret == null || secret.length() < 16)) {
      throw new ValidationException("secret", "must have at least 16 characters");
    }
  }

  /** A bot at an HTTP endpoint. */
  public static AgentBotDraft http(String name, String url, String secret) {
    return new AgentBotDraft(name, url, secret, null);
  }

  /** An in-process bot: the callback registered on the builder under {@code callback}. */
  public static AgentBotDraft callback(String name, String callback) {
    return new AgentBotDraft(name, null, null, callback);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "AgentBotDraft[name=" + name + ", url=" + url + ", callback=" + callback + "]";
  }
}
