package io.switchboard.channel;

/**
 * Turns a provider's webhook request into a verification answer or verified inbound events.
 *
 * <p>A parser verifies before it reads (signature, secret token, challenge), tolerates unknown
 * fields, and turns message types it does not know into {@code unsupported} messages rather
 * than failing. It never touches the store; it is called on the host's request thread and
 * must be thread-safe.
 */
@FunctionalInterface
public interface WebhookParser {
  /**
   * Verifies and parses one request.
   *
   * @param request the request as received
   * @param inboxes finds the inbox the request is for
   * @return the answer and the events; a malformed payload answers 400, a forged one 401
   */
  ParsedWebhook parse(WebhookRequest request, InboxDirectory inboxes);
}
