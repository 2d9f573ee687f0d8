package io.switchboard.examples.host;

import io.switchboard.Switchboard;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.model.ChannelType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /webhooks/<channel>/…}: hands a provider's request to
 * {@code incoming().handleWebhook} unchanged (method, path, query, headers, raw body) and
 * writes back its answer. The body is read up to one byte over the limit, so an oversized one
 * is refused without reading it all.
 */
final class WebhookServlet extends HttpServlet {
  private static final int MAX_BODY = 1024 * 1024;
  private final transient Switchboard sb;

  WebhookServlet(Switchboard sb) {
    this.sb = sb;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    String[] parts = path.split("/");
    ChannelType channel;
    try {
      channel = ChannelType.of(parts.length > 1 ? parts[1] : "");
    } catch (IllegalArgumentException e) {
      resp.setStatus(404);
      resp.setContentType("text/plain;charset=utf-8");
      resp.getOutputStream().write("unknown channel".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return;
    }
    // the query string is parsed by hand: getParameterMap() would consume a form body
    Map<String, String> query = new TreeMap<>();
    if (req.getQueryString() != null) {
      for (String pair : req.getQueryString().split("&")) {
        int eq = pair.indexOf('=');
        String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            java.nio.charset.StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
            java.nio.charset.StandardCharsets.UTF_8);
        query.putIfAbsent(k, v);
      }
    }
    Map<String, List<String>> headers = new TreeMap<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      headers.put(name, Collections.list(req.getHeaders(name)));
    }
    byte[] body = req.getInputStream().readNBytes(MAX_BODY + 1);
    WebhookResponse answer = sb.incoming().handleWebhook(channel, new WebhookRequest(
        req.getMethod(), req.getRequestURI(), query, headers, body));
    resp.setStatus(answer.status());
    resp.setContentType(answer.contentType());
    answer.headers().forEach(resp::setHeader);
    resp.getOutputStream().write(answer.bodyBytes());
  }
}
