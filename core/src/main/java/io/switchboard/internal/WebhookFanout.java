package io.switchboard.internal;

import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.event.Listener;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import io.switchboard.store.StoreTx;
import io.switchboard.webhook.AgentBot;
import io.switchboard.webhook.DeliveryStatus;
import io.switchboard.webhook.Webhook;
import io.switchboard.webhook.WebhookDelivery;
import io.switchboard.webhook.WebhookEvent;
import java.util.List;
import java.util.Objects;

/**
 * The built-in async listener behind webhooks and agent bots: for each event, in one
 * transaction, one delivery row (with its fixed id and body) and one durable job per
 * subscribed, enabled webhook of the account and for the inbox's agent bot. Running it twice
 * for one event adds nothing: a target has at most one delivery per event.
 */
public final class WebhookFanout implements Listener {
  /** The async listener's name: its queued events survive restarts under it. */
  public static final String NAME = "switchboard-webhooks";
  private volatile Engine engine;

  /** Binds the engine, which is built after the async listeners are known. */
  public void bind(Engine value) {
    engine = value;
  }

  @Override
  public boolean accepts(EventType type) {
    return WebhookPayloads.webhookEvent(type) != null
        || WebhookPayloads.agentBotEvent(type) != null;
  }

  @Override
  public void onEvent(Event event) {
    engine.write(tx -> {
      StoreTx s = tx.store();
      WebhookEvent hook = WebhookPayloads.webhookEvent(event.type());
      boolean sendable = !(event.data() instanceof Message m) || WebhookPayloads.webhookSendable(m);
      if (hook != null && sendable) {
        String body = null;
        for (Webhook w : s.listWebhooks(event.accountId())) {
          if (!w.subscribedTo(hook)) {
            continue;
          }
          if (body == null) {
            body = WebhookPayloads.build(s, event, hook.wireName());
          }
          queue(tx, event, false, w.id(), hook.wireName(), body);
        }
      }
      String botEvent = WebhookPayloads.agentBotEvent(event.type());
      if (botEvent != null && event.inboxId() != null) {
        s.findAgentBotOfInbox(event.accountId(), event.inboxId()).ifPresent(bot -> {
          if (forBot(event, bot)) {
            queue(tx, event, true, bot.id(), botEvent,
                WebhookPayloads.build(s, event, botEvent));
          }
        });
      }
      return null;
    });
  }

  private static boolean forBot(Event event, AgentBot bot) {
    if (event.data() instanceof Message m) {
      return !m.privateNote() && m.messageType() != MessageType.ACTIVITY
          && !(m.senderType() == SenderType.AGENT_BOT && Objects.equals(m.senderId(), bot.id()));
    }
    return true;
  }

  private static void queue(WriteTx tx, Event event, boolean agentBot, long targetId, String name,
      String body) {
    String id = Tokens.uuid();
    WebhookDelivery delivery = new WebhookDelivery(id, event.accountId(), targetId, agentBot,
        name, event.id(), DeliveryStatus.PENDING, List.of(), null, null, tx.now(), tx.now());
    if (tx.store().insertWebhookDelivery(delivery, event.sequence(), body)) {
      String payload = id + "|" + event.sequence() + "|"
          + (event.conversationId() == null ? "-" : event.conversationId());
      tx.enqueue(agentBot ? Jobs.AGENT_BOT : Jobs.WEBHOOK, null, event.accountId(), payload,
          tx.now());
    }
  }
}
