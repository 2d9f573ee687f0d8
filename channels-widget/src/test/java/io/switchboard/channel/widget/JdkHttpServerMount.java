package io.switchboard.channel.widget;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Mounts the widget API and the script on the JDK's own HTTP server: the wiring shown in the
 * module's README, kept compiling and tested here.
 */
final class JdkHttpServerMount {
  private JdkHttpServerMount() {}

  static HttpServer start(WidgetApi api) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/widget/", exchange -> {
      WidgetResponse r = api.handle(toRequest(exchange));
      r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] body = r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/widget.js", exchange -> {
      byte[] body = WidgetAssets.script().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", WidgetAssets.SCRIPT_CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  static WidgetRequest toRequest(HttpExchange exchange) throws IOException {
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.putIfAbsent(key, value);
      }
    }
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
    byte[] body = exchange.getRequestBody().readNBytes(256 * 1024 + 1);
    return new WidgetRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        query, headers, body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
  }
}
