package io.switchboard.channel.widget;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One widget API request as the host's web layer received it, framework-neutral.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param path the path below the host's mount point, such as {@code /widget/messages}
 * @param query the query parameters (the first value of each); {@code website_token} is
 *     required on every route
 * @param headers the request headers; names are matched ignoring case. The handlers read
 *     {@code Origin} and {@value WidgetApi#TOKEN_HEADER}
 * @param body the JSON body, or null
 */
public record WidgetRequest(String method, String path, Map<String, String> query,
    Map<String, String> headers, String body) {

  public WidgetRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? Map.of() : Map.copyOf(query);
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      h.putAll(headers);
    }
    headers = java.util.Collections.unmodifiableMap(h);
    method = method.toUpperCase(Locale.ROOT);
  }

  /** A request without body. */
  public static WidgetRequest of(String method, String path, Map<String, String> query,
      Map<String, String> headers) {
    return new WidgetRequest(method, path, query, headers, null);
  }

  /** The header's value, ignoring the case of its name. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** The query parameter, or empty. */
  public Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isBlank());
  }

  /** A copy with another body. */
  public WidgetRequest withBody(String value) {
    return new WidgetRequest(method, path, query, headers, value);
  }

  /** Prints no headers, query or body: they carry tokens and visitors' messages. */
  @Override
  public String toString() {
    return "WidgetRequest[" + method + " " + path + "]";
  }
}
