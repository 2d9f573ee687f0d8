package io.switchboard.jdbi;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.ValidationException;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.ParsedWebhook;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.channel.SendResult;
import io.switchboard.channel.WebhookParser;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.internal.Hmac;
import io.switchboard.internal.Json;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minimal webhook channel for testing the webhook path of core: the body is
 * {@code {"bot": "<routing key>", "messages": [{"id", "from", "name", "text"}]}} and the header
 * {@code X-Test-Secret} must equal the inbox's {@code secret} setting. It serves the Telegram
 * channel type, which no other test module registers here.
 */
final class TestChannel implements ChannelProvider {
  static final ChannelType TYPE = ChannelType.TELEGRAM;
  /** Fetches that fail before one succeeds, to exercise the retry of attachment downloads. */
  final java.util.concurrent.atomic.AtomicInteger failingFetches = new java.util.concurrent.atomic.AtomicInteger();
  private volatile io.switchboard.channel.ChannelContext context;

  @Override
  public void init(io.switchboard.channel.ChannelContext context) {
    this.context = context;
  }

  /** Stores the bytes {@code "file:" + meta.file_id} for a pending attachment. */
  @Override
  public io.switchboard.model.Attachment fetchAttachment(Inbox inbox,
      io.switchboard.model.Attachment a) throws Exception {
    if (failingFetches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new java.io.IOException("provider outage");
    }
    byte[] bytes = ("file:" + a.meta().get("file_id")).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String key = context.blobs().put(inbox.accountId(), a.fileName(), new java.io.ByteArrayInputStream(bytes));
    return new io.switchboard.model.Attachment(a.id(), a.accountId(), a.messageId(), a.fileType(),
        a.externalUrl(), key, a.fileName(), "text/plain", (long) bytes.length, null, null, a.meta());
  }

  @Override
  public ChannelType type() {
    return TYPE;
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    if (settings.get("secret") == null || settings.get("bot") == null) {
      throw new ValidationException("settings", "secret and bot are required");
    }
  }

  @Override
  public String routingKey(Map<String, String> settings) {
    return settings.get("bot");
  }

  @Override
  public Optional<WebhookParser> webhookParser() {
    return Optional.of((request, inboxes) -> {
      JsonNode body = Json.tree(request.bodyAsString());
      if (!body.hasNonNull("bot")) {
        return ParsedWebhook.respond(WebhookResponse.badRequest("no bot"));
      }
      Optional<Inbox> inbox = inboxes.findByRoutingKey(TYPE, body.get("bot").asText());
      if (inbox.isEmpty()) {
        return ParsedWebhook.respond(WebhookResponse.ok("unknown bot"));
      }
      if (!Hmac.constantTimeEquals(inbox.get().setting("secret"),
          request.header("X-Test-Secret").orElse(null))) {
        return ParsedWebhook.respond(WebhookResponse.unauthorized());
      }
      List<RoutedEvent> events = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        events.add(RoutedEvent.of(inbox.get(), InboundMessage.text(m.get("id").asText(),
            InboundContact.of(m.get("from").asText(), m.path("name").asText(null)),
            m.path("text").asText(null))));
      }
      return ParsedWebhook.accept(events);
    });
  }

  @Override
  public ChannelSender sender(Inbox inbox) {
    return message -> SendResult.sent("test-" + message.message().id());
  }

  static String payload(String bot, String id, String from, String text) {
    return "{\"bot\":\"" + bot + "\",\"messages\":[{\"id\":\"" + id + "\",\"from\":\"" + from
        + "\",\"name\":\"N " + from + "\",\"text\":\"" + text + "\"}]}";
  }
}
