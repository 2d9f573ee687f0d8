package io.switchboard.webhook;

import java.util.List;
import java.util.Optional;

/**
 * Account webhooks, agent bots and their delivery log, reached as
 * {@code switchboard.webhooks()}. Every call is scoped by the account: an id of another account
 * is not found.
 */
public interface WebhookService {

  /**
   * Creates a webhook.
   *
   * @throws io.switchboard.ValidationException when the URL is not http(s) or resolves to a
   *     loopback, private, link-local or unspecified address the host did not allow
   */
  Webhook create(long accountId, WebhookDraft draft);

  /** The account's webhooks, oldest first. */
  List<Webhook> list(long accountId);

  /** The webhook, or empty. */
  Optional<Webhook> find(long accountId, long webhookId);

  /** The webhook; {@link io.switchboard.NotFoundException} when there is none. */
  Webhook get(long accountId, long webhookId);

  /**
   * Replaces URL, secret, subscriptions and enabled; enabling resets the failure count.
   * Checked like {@link #create}.
   */
  Webhook update(long accountId, long webhookId, WebhookDraft draft);

  /** Deletes the webhook; pending deliveries to it are dropped. */
  void delete(long accountId, long webhookId);

  /** The webhook's deliveries, newest first, with their attempts. */
  List<WebhookDelivery> deliveries(long accountId, long webhookId, int limit);

  /** One delivery by its id ({@code X-Switchboard-Delivery}), or empty. */
  Optional<WebhookDelivery> findDelivery(long accountId, String deliveryId);

  /**
   * Attaches an agent bot to an inbox (one per inbox) and turns the inbox's {@code bot_enabled}
   * on, so new and reopened conversations start {@code pending}.
   */
  AgentBot attachAgentBot(long accountId, long inboxId, AgentBotDraft draft);

  /** The inbox's agent bot, or empty. */
  Optional<AgentBot> findAgentBot(long accountId, long inboxId);

  /** Detaches the inbox's bot and turns {@code bot_enabled} off. */
  void detachAgentBot(long accountId, long inboxId);

  /** The bot's deliveries, newest first. */
  List<WebhookDelivery> agentBotDeliveries(long accountId, long botId, int limit);
}
