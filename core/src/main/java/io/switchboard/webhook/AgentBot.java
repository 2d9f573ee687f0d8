package io.switchboard.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * An agent bot attached to one inbox: either an HTTP endpoint (signed like webhooks; the
 * secret is write-only) or an in-process callback registered on the builder by name.
 *
 * @param id the bot id
 * @param accountId the account
 * @param inboxId the inbox it handles
 * @param name the name shown in activity messages and as the sender of its replies
 * @param url its endpoint, or null for a callback bot
 * @param callback the name of its in-process callback, or null for an HTTP bot
 * @param createdAt when it was attached
 */
public record AgentBot(long id, long accountId, long inboxId, String name, String url,
    String callback, Instant createdAt) {

  public AgentBot {
    Objects.requireNonNull(name, "name");
    if ((url == null) == (callback == null)) {
      throw new IllegalArgumentException("an agent bot has either a url or a callback");
    }
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** The actor to reply and hand off as. */
  public io.switchboard.model.Actor actor() {
    return new io.switchboard.model.Actor(io.switchboard.model.SenderType.AGENT_BOT, id, name);
  }
}
