package io.switchboard.channel.widget;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer for the host's web layer to write: status, headers (CORS among them) and a JSON
 * body ({@code application/json; charset=utf-8}; null for no body).
 *
 * <p>Errors have the body {@code {"error": "<code>", "message": "<text>"}} with these codes:
 * {@code origin_not_allowed} (403), {@code unknown_website} (404), {@code invalid_token}
 * (401: missing, forged or expired visitor token), {@code invalid_identifier_hash} (401),
 * {@code verification_required} (403), {@code blocked} (403: the contact is blocked),
 * {@code bad_request} (400), {@code conflict} (409), {@code not_found} (404),
 * {@code rate_limited} (429), {@code method_not_allowed} (405).
 */
public record WidgetResponse(int status, Map<String, String> headers, String body) {

  public WidgetResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status, not " + status);
    }
    headers = headers == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  WidgetResponse withHeaders(Map<String, String> extra) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.putAll(extra);
    return new WidgetResponse(status, h, body);
  }

  /** The content type of {@link #body()}. */
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  @Override
  public String toString() {
    return "WidgetResponse[" + status + "]";
  }
}
