package io.switchboard.examples.host;

import io.switchboard.channel.widget.WidgetApi;
import io.switchboard.channel.widget.WidgetRequest;
import io.switchboard.channel.widget.WidgetResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** {@code /widget/*}: the widget API, adapted from servlet requests to {@link WidgetApi}. */
final class WidgetServlet extends HttpServlet {
  private static final int MAX_BODY = 256 * 1024;
  private final transient WidgetApi api;

  WidgetServlet(WidgetApi api) {
    this.api = api;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Map<String, String> query = new TreeMap<>();
    if (req.getQueryString() != null) {
      for (String pair : req.getQueryString().split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        query.putIfAbsent(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(req.getHeaderNames())) {
      headers.put(name, req.getHeader(name));
    }
    byte[] body = req.getInputStream().readNBytes(MAX_BODY + 1);
    WidgetResponse answer = api.handle(new WidgetRequest(req.getMethod(), req.getRequestURI(),
        query, headers, body.length == 0 ? null : new String(body, StandardCharsets.UTF_8)));
    resp.setStatus(answer.status());
    answer.headers().forEach(resp::setHeader);
    if (answer.body() != null) {
      resp.getOutputStream().write(answer.body().getBytes(StandardCharsets.UTF_8));
    }
  }
}
