package io.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.channel.InboxDirectory;
import io.switchboard.channel.ParsedWebhook;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.channel.WebhookParser;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.internal.Hmac;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies {@code X-Telegram-Bot-Api-Secret-Token} and parses one update. The bot id is the
 * last path segment of {@code /webhooks/telegram/{botId}}.
 *
 * <p>A callback query is answered in the webhook's response body
 * ({@code {"method":"answerCallbackQuery",…}}), which the Bot API executes: the answer leaves
 * only after the event is stored, and the parser makes no call of its own.
 */
final class TelegramWebhookParser implements WebhookParser {
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  private static final Logger LOG = LoggerFactory.getLogger(TelegramWebhookParser.class);

  private final UpdateParser updates;

  TelegramWebhookParser(UpdateParser updates) {
    this.updates = updates;
  }

  @Override
  public ParsedWebhook parse(WebhookRequest request, InboxDirectory inboxes) {
    String path = request.path();
    String botId = path.substring(path.lastIndexOf('/') + 1);
    if (!botId.matches("\\d{1,20}")) {
      return ParsedWebhook.respond(WebhookResponse.status(404, "no bot id in the path"));
    }
    Optional<Inbox> inbox = inboxes.findByRoutingKey(ChannelType.TELEGRAM, botId);
    if (inbox.isEmpty()) {
      LOG.debug("telegram webhook for unknown bot {}", botId);
      return ParsedWebhook.respond(WebhookResponse.status(404, "unknown bot"));
    }
    String expected = inbox.get().setting(TelegramChannel.SECRET_TOKEN);
    String given = request.header(SECRET_HEADER).orElse(null);
    if (!Hmac.constantTimeEquals(expected, given)) {
      LOG.info("telegram webhook for inbox {} refused: secret token missing or wrong",
          inbox.get().id());
      return ParsedWebhook.respond(WebhookResponse.unauthorized());
    }
    JsonNode update;
    try {
      update = BotApi.JSON.readTree(request.body());
    } catch (IOException e) {
      return ParsedWebhook.respond(WebhookResponse.badRequest("malformed JSON"));
    }
    if (update == null || !update.path("update_id").canConvertToLong()) {
      return ParsedWebhook.respond(WebhookResponse.badRequest("not a Telegram update"));
    }
    // an update this parser cannot read is answered 200 and skipped, as the poller skips it:
    // an error would make Telegram send it again and again
    java.util.Optional<UpdateParser.Result> parsed = updates.parseOrSkip(inbox.get().id(), update);
    if (parsed.isEmpty()) {
      return ParsedWebhook.respond(WebhookResponse.ok("ok"));
    }
    UpdateParser.Result result = parsed.get();
    WebhookResponse response = WebhookResponse.ok("ok");
    if (result.callbackQueryId() != null) {
      ObjectNode answer = BotApi.params();
      answer.put("method", "answerCallbackQuery");
      answer.put("callback_query_id", result.callbackQueryId());
      response = new WebhookResponse(200, "application/json", answer.toString(), Map.of());
    }
    return new ParsedWebhook(response, result.events().stream()
        .map(e -> RoutedEvent.of(inbox.get(), e)).toList());
  }
}
