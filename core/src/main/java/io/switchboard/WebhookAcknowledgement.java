package io.switchboard;

/**
 * When {@link IncomingService#handleWebhook} answers the provider: after the delivery is
 * processed, or as soon as it is stored. Either way nothing acknowledged is lost: the raw
 * request is committed before the answer, and a delivery whose processing fails or is cut short
 * by a crash is processed again by the job workers.
 *
 * @see Switchboard.Builder#webhookAcknowledgement(WebhookAcknowledgement)
 */
public enum WebhookAcknowledgement {
  /**
   * The default: the answer waits until the raw request, its contact, conversation, message and
   * events have committed (concurrent deliveries share transactions). When the provider has its
   * answer, the agents have had the message.
   */
  AFTER_PROCESSING,

  /**
   * The answer goes as soon as the raw request and a job for its processing have committed;
   * background lanes then process the stored deliveries in bulk, many to a transaction, as
   * Chatwoot acknowledges a webhook and leaves it to a background job. The provider's wait no
   * longer includes the processing, and bursts are absorbed; the agents see a message a little
   * later, and a host that reads the database right after the answer may not find the message
   * yet. One sender's deliveries are processed in the order they were stored on this node.
   */
  AFTER_STORING
}
