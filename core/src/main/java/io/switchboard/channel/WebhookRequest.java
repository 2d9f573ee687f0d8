package io.switchboard.channel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A provider's HTTP request as the host's web layer received it, framework-neutral. Header
 * names are matched case-insensitively. The body is kept as raw bytes because signatures are
 * computed over them.
 *
 * @param method the HTTP method, upper case
 * @param path the request path
 * @param query the query parameters (first value of each name)
 * @param headers the headers, names lower-cased, every value kept
 * @param body the raw body, empty when there is none
 */
public record WebhookRequest(
    String method, String path, Map<String, String> query, Map<String, List<String>> headers,
    byte[] body) {

  public WebhookRequest {
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    path = path == null ? "/" : path;
    query = query == null ? Map.of() : Map.copyOf(query);
    TreeMap<String, List<String>> h = new TreeMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
          .addAll(v));
    }
    h.replaceAll((k, v) -> List.copyOf(v));
    headers = Collections.unmodifiableMap(h);
    body = body == null ? new byte[0] : body.clone();
  }

  /** The first value of header {@code name}, ignoring case. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The query parameter {@code name}. */
  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** A copy of the raw body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body size in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** Prints method, path and body size: never headers (signatures, tokens) nor the body. */
  @Override
  public String toString() {
    return "WebhookRequest[" + method + " " + path + ", " + body.length + " bytes]";
  }

  /** Starts a request with the given method and path. */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** Builds a {@link WebhookRequest}. */
  public static final class Builder {
    private final String method;
    private final String path;
    private final Map<String, String> query = new TreeMap<>();
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] body = new byte[0];

    private Builder(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Builder query(String name, String value) {
      query.put(name, value);
      return this;
    }

    public Builder header(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    public Builder body(byte[] value) {
      body = value;
      return this;
    }

    public Builder body(String utf8) {
      body = utf8.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    public WebhookRequest build() {
      return new WebhookRequest(method, path, query, headers, body);
    }
  }
}
