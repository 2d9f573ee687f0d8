/**
 * Outgoing account webhooks and agent bots: {@link io.switchboard.webhook.WebhookService},
 * the delivery log, and {@link io.switchboard.webhook.WebhookSignatures} for receivers.
 */
package io.switchboard.webhook;
