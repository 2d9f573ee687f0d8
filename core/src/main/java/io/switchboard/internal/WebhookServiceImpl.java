package io.switchboard.internal;

import io.switchboard.ConflictException;
import io.switchboard.NotFoundException;
import io.switchboard.event.Change;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.Inbox;
import io.switchboard.webhook.AgentBot;
import io.switchboard.webhook.AgentBotDraft;
import io.switchboard.webhook.Webhook;
import io.switchboard.webhook.WebhookDelivery;
import io.switchboard.webhook.WebhookDraft;
import io.switchboard.webhook.WebhookService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The webhook service on the store. */
public final class WebhookServiceImpl implements WebhookService {
  private final Engine engine;
  private final UrlGuard guard;

  public WebhookServiceImpl(Engine engine, boolean allowPrivate) {
    this.engine = engine;
    this.guard = new UrlGuard(allowPrivate);
  }

  @Override
  public Webhook create(long accountId, WebhookDraft draft) {
    guard.check(draft.url());
    return engine.tx(tx -> {
      tx.findAccount(accountId).orElseThrow(() -> new NotFoundException("account", accountId, accountId));
      return tx.insertWebhook(new Webhook(0, accountId, draft.url(), draft.subscriptions(),
          draft.enabled(), 0, engine.now(), engine.now()), draft.secret());
    });
  }

  @Override
  public List<Webhook> list(long accountId) {
    return engine.tx(tx -> tx.listWebhooks(accountId));
  }

  @Override
  public Optional<Webhook> find(long accountId, long webhookId) {
    return engine.tx(tx -> tx.findWebhook(accountId, webhookId));
  }

  @Override
  public Webhook get(long accountId, long webhookId) {
    return find(accountId, webhookId)
        .orElseThrow(() -> new NotFoundException("webhook", accountId, webhookId));
  }

  @Override
  public Webhook update(long accountId, long webhookId, WebhookDraft draft) {
    guard.check(draft.url());
    return engine.tx(tx -> {
      Webhook current = tx.findWebhook(accountId, webhookId)
          .orElseThrow(() -> new NotFoundException("webhook", accountId, webhookId));
      int failures = draft.enabled() && !current.enabled() ? 0 : current.consecutiveFailures();
      Webhook updated = new Webhook(webhookId, accountId, draft.url(), draft.subscriptions(),
          draft.enabled(), failures, current.createdAt(), engine.now());
      tx.updateWebhook(updated, draft.secret());
      return updated;
    });
  }

  @Override
  public void delete(long accountId, long webhookId) {
    engine.tx(tx -> {
      tx.findWebhook(accountId, webhookId)
          .orElseThrow(() -> new NotFoundException("webhook", accountId, webhookId));
      tx.deleteWebhook(accountId, webhookId);
      return null;
    });
  }

  @Override
  public List<WebhookDelivery> deliveries(long accountId, long webhookId, int limit) {
    return engine.tx(tx -> tx.listWebhookDeliveries(accountId, false, webhookId, limit));
  }

  @Override
  public Optional<WebhookDelivery> findDelivery(long accountId, String deliveryId) {
    return engine.tx(tx -> tx.findWebhookDelivery(accountId, deliveryId));
  }

  @Override
  public AgentBot attachAgentBot(long accountId, long inboxId, AgentBotDraft draft) {
    if (draft.url() != null) {
      guard.check(draft.url());
    }
    return engine.write(tx -> {
      Inbox inbox = tx.store().findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      if (tx.store().findAgentBotOfInbox(accountId, inboxId).isPresent()) {
        throw new ConflictException("inbox " + inboxId + " already has an agent bot");
      }
      AgentBot bot = tx.store().insertAgentBot(new AgentBot(0, accountId, inboxId,
          draft.name().strip(), draft.url(), draft.callback(), tx.now()), draft.secret());
      setBotEnabled(tx, inbox, true);
      return bot;
    });
  }

  @Override
  public Optional<AgentBot> findAgentBot(long accountId, long inboxId) {
    return engine.tx(tx -> tx.findAgentBotOfInbox(accountId, inboxId));
  }

  @Override
  public void detachAgentBot(long accountId, long inboxId) {
    engine.write(tx -> {
      Inbox inbox = tx.store().findInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("inbox", accountId, inboxId));
      AgentBot bot = tx.store().findAgentBotOfInbox(accountId, inboxId)
          .orElseThrow(() -> new NotFoundException("agent bot of inbox", accountId, inboxId));
      tx.store().deleteAgentBot(accountId, bot.id());
      setBotEnabled(tx, inbox, false);
      return null;
    });
  }

  @Override
  public List<WebhookDelivery> agentBotDeliveries(long accountId, long botId, int limit) {
    return engine.tx(tx -> tx.listWebhookDeliveries(accountId, true, botId, limit));
  }

  private static void setBotEnabled(WriteTx tx, Inbox inbox, boolean enabled) {
    if (inbox.botEnabled() == enabled) {
      return;
    }
    Inbox updated = new Inbox(inbox.id(), inbox.accountId(), inbox.name(), inbox.channelType(),
        inbox.routingKey(), inbox.settings(), inbox.lockToSingleConversation(),
        inbox.allowMessagesAfterResolved(), enabled, inbox.greetingMessage(),
        inbox.reauthorizationRequired(), inbox.createdAt(), tx.now());
    tx.store().updateInbox(updated);
    tx.emit(EventType.INBOX_UPDATED, inbox.accountId(), inbox.id(), null, updated,
        Map.of("bot_enabled", new Change(!enabled, enabled)), Actor.system());
  }
}
