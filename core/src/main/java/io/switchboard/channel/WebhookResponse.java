package io.switchboard.channel;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer the host's web layer sends back to the provider.
 *
 * @param status the HTTP status
 * @param contentType the body's content type
 * @param body the body
 * @param headers extra headers
 */
public record WebhookResponse(int status, String contentType, String body,
    Map<String, String> headers) {

  public WebhookResponse {
    contentType = contentType == null ? "text/plain; charset=utf-8" : contentType;
    body = body == null ? "" : body;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** 200 with a plain-text body. */
  public static WebhookResponse ok(String body) {
    return new WebhookResponse(200, null, body, Map.of());
  }

  /** A plain-text answer with this status. */
  public static WebhookResponse status(int status, String body) {
    return new WebhookResponse(status, null, body, Map.of());
  }

  /** 400: the payload could not be read. */
  public static WebhookResponse badRequest(String reason) {
    return status(400, reason);
  }

  /** 401: the signature or secret token is missing or wrong. */
  public static WebhookResponse unauthorized() {
    return status(401, "invalid signature");
  }

  /** 413: the body is larger than the channel accepts. */
  public static WebhookResponse tooLarge() {
    return status(413, "payload too large");
  }

  /** The body as UTF-8 bytes. */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
