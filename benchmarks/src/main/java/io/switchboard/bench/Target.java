package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.InboxDraft;
import io.switchboard.Switchboard;
import io.switchboard.WebhookAcknowledgement;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.channel.whatsapp.WhatsAppChannel;
import io.switchboard.channel.whatsapp.WhatsAppConfig;
import io.switchboard.examples.host.QuickstartHost;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The system under load: the quickstart host on a benchmark database, with a WhatsApp inbox
 * whose Graph API is local, and two ways in: the framework-neutral handler called in process,
 * and the host's HTTP route.
 */
final class Target implements AutoCloseable {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  final QuickstartHost host;
  final GraphApi graph;
  final Inbox inbox;
  final long accountId;
  final String agentToken;
  private final Path dir;
  private final OkHttpClient http;

  Target(Databases.Db db, Path parent) throws Exception {
    this(db, parent, WebhookAcknowledgement.AFTER_PROCESSING);
  }

  /** The quickstart host on {@code db}, answering webhooks as {@code ack} says. */
  Target(Databases.Db db, Path parent, WebhookAcknowledgement ack) throws Exception {
    dir = Files.createTempDirectory(parent, "host-");
    graph = new GraphApi();
    host = QuickstartHost.start(dir, 0, new PrintStream(new ByteArrayOutputStream()), db.store,
        WhatsAppConfig.defaults().withGraphBaseUrl(graph.baseUrl()), ack);
    Switchboard sb = host.switchboard();
    accountId = sb.admin().accounts().get(0).id();
    inbox = sb.admin().createInbox(accountId, InboxDraft.of("WhatsApp", ChannelType.WHATSAPP,
        Map.of(WhatsAppChannel.PHONE_NUMBER_ID, WhatsAppTraffic.PHONE_NUMBER_ID,
            WhatsAppChannel.ACCESS_TOKEN, WhatsAppTraffic.ACCESS_TOKEN,
            WhatsAppChannel.APP_SECRET, WhatsAppTraffic.APP_SECRET)));
    http = new OkHttpClient.Builder().connectionPool(new ConnectionPool(64, 1, TimeUnit.MINUTES))
        .build();
    http.dispatcher().setMaxRequestsPerHost(64);
    agentToken = login();
  }

  Switchboard sb() {
    return host.switchboard();
  }

  private String login() throws IOException {
    String body = "{\"email\":\"admin@acme.test\",\"password\":\"" + QuickstartHost.PASSWORD + "\"}";
    Request request = new Request.Builder().url(url("/api/login"))
        .post(RequestBody.create(body, JSON_TYPE)).build();
    try (Response response = http.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException("login failed: " + response.code());
      }
      return JSON.readTree(response.body().string()).get("token").asText();
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + host.port() + path;
  }

  /** Hands a delivery to {@code incoming().handleWebhook} in this process; returns the status. */
  int inProcess(WhatsAppTraffic.Delivery d) {
    WebhookResponse r = sb().incoming().handleWebhook(ChannelType.WHATSAPP, new WebhookRequest(
        "POST", "/webhooks/whatsapp", Map.of(), Map.of("Content-Type", List.of("application/json"),
            "X-Hub-Signature-256", List.of(d.signature())), d.body()));
    return r.status();
  }

  /** Posts a delivery to the host's webhook route; returns the status. */
  int overHttp(WhatsAppTraffic.Delivery d) throws IOException {
    Request request = new Request.Builder().url(url("/webhooks/whatsapp"))
        .header("X-Hub-Signature-256", d.signature())
        .post(RequestBody.create(d.body(), JSON_TYPE)).build();
    try (Response response = http.newCall(request).execute()) {
      return response.code();
    }
  }

  @Override
  public void close() throws Exception {
    host.close();
    graph.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    Databases.deleteTree(dir);
  }
}
