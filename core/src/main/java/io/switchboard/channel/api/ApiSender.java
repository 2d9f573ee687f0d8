package io.switchboard.channel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.ValidationException;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.channel.SendResult;
import io.switchboard.internal.Hmac;
import io.switchboard.internal.Json;
import io.switchboard.internal.UrlGuard;
import io.switchboard.model.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** POSTs one outgoing message to an API inbox's webhook URL. */
final class ApiSender implements ChannelSender {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private final Clock clock;
  private final OkHttpClient http;
  private final UrlGuard guard;

  ApiSender(Clock clock, OkHttpClient http, UrlGuard guard) {
    this.clock = clock;
    this.http = http;
    this.guard = guard;
  }

  @Override
  public SendResult send(OutboundMessage out) {
    String url = out.inbox().setting(ApiChannel.WEBHOOK_URL);
    if (url == null) {
      return SendResult.sent(null);
    }
    try {
      guard.check(ApiChannel.WEBHOOK_URL, url);
    } catch (UrlGuard.Unresolved e) {
      return SendResult.retry(e.getMessage(), null);
    } catch (ValidationException e) {
      return SendResult.failed(null, e.getMessage());
    }
    String secret = out.inbox().setting(ApiChannel.WEBHOOK_SECRET);
    byte[] body = payload(out).getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    byte[] signed = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[signed.length + body.length];
    System.arraycopy(signed, 0, data, 0, signed.length);
    System.arraycopy(body, 0, data, signed.length, body.length);
    Request request = new Request.Builder()
        .url(url)
        .header("X-Switchboard-Timestamp", timestamp)
        .header("X-Switchboard-Delivery", "message-" + out.message().accountId() + "-"
            + out.message().id())
        .header("X-Switchboard-Signature", "sha256=" + Hmac.sha256Hex(secret, data))
        .header("User-Agent", "Switchboard")
        .post(RequestBody.create(body, JSON))
        .build();
    try (Response response = http.newCall(request).execute()) {
      int code = response.code();
      if (response.isSuccessful()) {
        return SendResult.sent(sourceId(response.body()));
      }
      String answer = snippet(response.body());
      if (code == 408 || code == 429 || code >= 500) {
        return SendResult.retry("HTTP " + code + " " + answer, retryAfter(response));
      }
      return SendResult.failed(Integer.toString(code), "HTTP " + code + " " + answer);
    } catch (IOException e) {
      return SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
    }
  }

  static String payload(OutboundMessage out) {
    Message m = out.message();
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("event", "message_created");
    node.put("id", m.id());
    node.put("content", m.content());
    node.put("content_type", m.contentType().wireName());
    node.set("content_attributes", Json.mapper().valueToTree(m.contentAttributes()));
    node.put("message_type", m.messageType().wireName());
    node.put("private", m.privateNote());
    node.put("created_at", m.createdAt().toString());
    ObjectNode sender = node.putObject("sender");
    sender.put("type", m.senderType().wireName());
    if (m.senderId() != null) {
      sender.put("id", m.senderId());
    }
    node.set("attachments", Json.mapper().valueToTree(m.attachments()));
    ObjectNode conversation = node.putObject("conversation");
    conversation.put("id", out.conversation().displayId());
    conversation.put("uuid", out.conversation().uuid());
    conversation.put("status", out.conversation().status().wireName());
    ObjectNode contact = node.putObject("contact");
    contact.put("id", out.contact().id());
    contact.put("name", out.contact().name());
    contact.put("email", out.contact().email());
    contact.put("phone_number", out.contact().phoneNumber());
    contact.put("identifier", out.contact().identifier());
    contact.put("source_id", out.contactInbox().sourceId());
    ObjectNode inbox = node.putObject("inbox");
    inbox.put("id", out.inbox().id());
    inbox.put("name", out.inbox().name());
    node.putObject("account").put("id", m.accountId());
    return node.toString();
  }

  private static String sourceId(ResponseBody body) throws IOException {
    if (body == null) {
      return null;
    }
    String text = body.string();
    if (text.isBlank() || !text.strip().startsWith("{")) {
      return null;
    }
    try {
      JsonNode node = Json.mapper().readTree(text);
      JsonNode id = node.get("source_id");
      return id == null || id.isNull() ? null : id.asText();
    } catch (IOException e) {
      return null;
    }
  }

  private static String snippet(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    String text = body.string().strip();
    return text.length() > 300 ? text.substring(0, 300) : text;
  }

  private static Duration retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.min(3600, Long.parseLong(value.strip())));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
