package io.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.ValidationException;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.WebhookParser;
import io.switchboard.model.Attachment;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The Telegram Bot API channel provider.
 *
 * <p>Settings of a Telegram inbox:
 * <ul>
 *   <li>{@code bot_token} (secret): the token BotFather gave, {@code <bot id>:<key>}; the bot
 *       id before the colon is the inbox's routing key;
 *   <li>{@code secret_token} (secret): the webhook secret Telegram sends back in
 *       {@code X-Telegram-Bot-Api-Secret-Token}, 1 to 256 characters of {@code A-Z a-z 0-9 _ -}.
 * </ul>
 *
 * <p>Receiving: the host routes {@code POST /webhooks/telegram/{botId}} to {@code
 * switchboard.incoming().handleWebhook(ChannelType.TELEGRAM, request)} and registers it with
 * {@link #setWebhook}; or, without a public URL, runs a {@link TelegramPoller}. A missing or
 * wrong secret token is answered 401 and nothing is stored. Callback queries are answered
 * with {@code answerCallbackQuery} after the event is stored: in the webhook's response body,
 * or by the poller.
 */
public final class TelegramChannel implements ChannelProvider {
  /** The setting holding the bot token. */
  public static final String BOT_TOKEN = "bot_token";
  /** The setting holding the webhook secret token. */
  public static final String SECRET_TOKEN = "secret_token";
  /** The update types the webhook and the poller ask for. */
  public static final List<String> ALLOWED_UPDATES = List.of("message", "edited_message",
      "channel_post", "edited_channel_post", "callback_query", "business_message",
      "edited_business_message");

  private static final Pattern TOKEN = Pattern.compile("(\\d{1,20}):[A-Za-z0-9_-]{20,}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private final TelegramConfig config;
  private final UpdateParser updates;
  private volatile ChannelContext context;

  private TelegramChannel(TelegramConfig config) {
    this.config = config;
    this.updates = new UpdateParser(config.acceptGroupChats());
  }

  /** A provider for the public Bot API that accepts private chats only. */
  public static TelegramChannel create() {
    return create(TelegramConfig.defaults());
  }

  /** A provider with this configuration. */
  public static TelegramChannel create(TelegramConfig config) {
    return new TelegramChannel(Objects.requireNonNull(config, "config"));
  }

  /** The configuration. */
  public TelegramConfig config() {
    return config;
  }

  @Override
  public ChannelType type() {
    return ChannelType.TELEGRAM;
  }

  @Override
  public void init(ChannelContext context) {
    this.context = context;
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    String token = settings.get(BOT_TOKEN);
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new ValidationException(BOT_TOKEN, "is required and must look like "
          + "'<bot id>:<key>' as BotFather gives it");
    }
    String secret = settings.get(SECRET_TOKEN);
    if (secret == null || !SECRET.matcher(secret).matches()) {
      throw new ValidationException(SECRET_TOKEN, "is required: 1 to 256 characters of "
          + "A-Z, a-z, 0-9, _ and -");
    }
  }

  @Override
  public String routingKey(Map<String, String> settings) {
    String token = settings.get(BOT_TOKEN);
    return token == null || token.indexOf(':') < 0 ? null
        : token.substring(0, token.indexOf(':'));
  }

  @Override
  public Optional<WebhookParser> webhookParser() {
    return Optional.of(new TelegramWebhookParser(updates));
  }

  @Override
  public ChannelSender sender(Inbox inbox) {
    return new TelegramSender(context(), api(inbox));
  }

  /**
   * Downloads a Telegram file ({@code getFile}, then the file URL) into the blob store. A file
   * over the Bot API's 20 MB limit is not downloaded: it is returned with a {@code
   * fetch_refused} note in its meta.
   */
  @Override
  public Attachment fetchAttachment(Inbox inbox, Attachment attachment) throws Exception {
    Object fileId = attachment.meta().get("file_id");
    if (fileId == null) {
      return refused(attachment, "the attachment has no Telegram file id", null);
    }
    BotApi api = api(inbox);
    ObjectNode params = BotApi.params();
    params.put("file_id", fileId.toString());
    BotApi.Reply reply = api.call("getFile", params);
    if (!reply.ok()) {
      if (reply.errorCode() == 400 && reply.description().toLowerCase().contains("too big")) {
        return refused(attachment, UpdateParser.tooLargeNote(attachment.fileSize() == null
            ? UpdateParser.MAX_DOWNLOAD_BYTES + 1 : attachment.fileSize()), null);
      }
      throw new IOException("getFile failed: " + reply.errorCode() + " " + reply.description());
    }
    JsonNode file = reply.result();
    long size = file.path("file_size").asLong(0);
    if (size > UpdateParser.MAX_DOWNLOAD_BYTES) {
      return refused(attachment, UpdateParser.tooLargeNote(size), size);
    }
    String path = file.path("file_path").asText(null);
    if (path == null) {
      throw new IOException("getFile returned no file_path");
    }
    Request request = new Request.Builder().url(api.fileUrl(path)).get().build();
    Response response;
    try {
      response = api.http().newCall(request).execute();
    } catch (IOException e) {
      throw BotApi.sanitized("file download", e);
    }
    try (response) {
      if (!response.isSuccessful() || response.body() == null) {
        throw new IOException("Telegram file download failed: HTTP " + response.code());
      }
      String name = attachment.fileName() != null ? attachment.fileName()
          : path.substring(path.lastIndexOf('/') + 1);
      String key;
      try (InputStream in = response.body().byteStream()) {
        key = context().blobs().put(attachment.accountId(), name, in);
      } catch (IOException e) {
        throw BotApi.sanitized("file download", e);
      }
      long stored = size > 0 ? size : response.body().contentLength();
      return new Attachment(attachment.id(), attachment.accountId(), attachment.messageId(),
          attachment.fileType(), attachment.externalUrl(), key, name,
          attachment.contentType(), stored >= 0 ? stored : attachment.fileSize(),
          attachment.latitude(), attachment.longitude(), attachment.meta());
    }
  }

  private static Attachment refused(Attachment a, String note, Long size) {
    Map<String, Object> meta = new LinkedHashMap<>(a.meta());
    meta.put("fetch_refused", note);
    return new Attachment(a.id(), a.accountId(), a.messageId(), a.fileType(), a.externalUrl(),
        null, a.fileName(), a.contentType(), size != null ? size : a.fileSize(), a.latitude(),
        a.longitude(), meta);
  }

  /**
   * Registers {@code url} as the inbox's webhook with {@code setWebhook}, sending the inbox's
   * {@code secret_token} and {@link #ALLOWED_UPDATES}. The URL should end with
   * {@code /webhooks/telegram/<bot id>} (see {@link #botId}).
   *
   * @throws io.switchboard.SwitchboardException with Telegram's description when refused
   * @throws IOException when the Bot API cannot be reached
   */
  public void setWebhook(Inbox inbox, String url) throws IOException {
    ObjectNode params = BotApi.params();
    params.put("url", url);
    params.put("secret_token", inbox.setting(SECRET_TOKEN));
    ALLOWED_UPDATES.forEach(params.putArray("allowed_updates")::add);
    BotApi.Reply reply = api(inbox).call("setWebhook", params);
    if (!reply.ok()) {
      throw new io.switchboard.SwitchboardException("setWebhook for inbox " + inbox.id()
          + " refused: " + reply.errorCode() + " " + reply.description());
    }
  }

  /** The bot id of a Telegram inbox: the part of its token before the colon. */
  public static String botId(Inbox inbox) {
    String token = inbox.setting(BOT_TOKEN);
    if (token == null || token.indexOf(':') < 0) {
      throw new IllegalArgumentException("inbox " + inbox.id() + " has no bot_token");
    }
    return token.substring(0, token.indexOf(':'));
  }

  UpdateParser updates() {
    return updates;
  }

  ChannelContext context() {
    ChannelContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("TelegramChannel is not registered on a Switchboard");
    }
    return ctx;
  }

  BotApi api(Inbox inbox) {
    String token = inbox.setting(BOT_TOKEN);
    if (token == null) {
      throw new IllegalArgumentException("inbox " + inbox.id() + " has no bot_token");
    }
    return new BotApi(context().http(), config.baseUrl(), token);
  }
}
