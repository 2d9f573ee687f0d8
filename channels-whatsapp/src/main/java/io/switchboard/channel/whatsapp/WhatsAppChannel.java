package io.switchboard.channel.whatsapp;

import io.switchboard.ValidationException;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.WebhookParser;
import io.switchboard.model.Attachment;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The WhatsApp Cloud API channel provider.
 *
 * <p>Settings of a WhatsApp inbox:
 * <ul>
 *   <li>{@code phone_number_id} (required): the business phone number's id; webhooks are routed
 *       to the inbox by it (the change's {@code metadata.phone_number_id});
 *   <li>{@code access_token} (required): the bearer token for the Graph API (sends and media);
 *   <li>{@code app_secret} (required): the Meta app's secret, the key of the
 *       {@code X-Hub-Signature-256} webhook signature;
 *   <li>{@code verify_token} (optional): answered on the webhook verification request;
 *   <li>{@code business_account_id} (optional): the WhatsApp Business Account id, kept for
 *       reference.
 * </ul>
 *
 * <p>The host exposes one route for {@code GET} (verification) and {@code POST} (deliveries)
 * and hands both to {@code switchboard.incoming().handleWebhook(ChannelType.WHATSAPP, request)}.
 */
public final class WhatsAppChannel implements ChannelProvider {
  /** The setting holding the business phone number id (the routing key). */
  public static final String PHONE_NUMBER_ID = "phone_number_id";
  /** The setting holding the Graph API access token. */
  public static final String ACCESS_TOKEN = "access_token";
  /** The setting holding the Meta app secret that signs webhooks. */
  public static final String APP_SECRET = "app_secret";
  /** The setting holding the webhook verify token. */
  public static final String VERIFY_TOKEN = "verify_token";
  /** The setting holding the WhatsApp Business Account id. */
  public static final String BUSINESS_ACCOUNT_ID = "business_account_id";

  private final WhatsAppConfig config;
  private final WhatsAppParser parser;
  private volatile ChannelContext context;

  private WhatsAppChannel(WhatsAppConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.parser = new WhatsAppParser(config);
  }

  /** A provider for the Graph API at graph.facebook.com with the default version. */
  public static WhatsAppChannel create() {
    return new WhatsAppChannel(WhatsAppConfig.defaults());
  }

  /** A provider with this configuration (base URL, API version, app-wide verify token). */
  public static WhatsAppChannel create(WhatsAppConfig config) {
    return new WhatsAppChannel(config);
  }

  /** The configuration. */
  public WhatsAppConfig config() {
    return config;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WHATSAPP;
  }

  @Override
  public void init(ChannelContext context) {
    this.context = context;
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    String id = settings.get(PHONE_NUMBER_ID);
    if (id == null || !id.matches("\\d{1,32}")) {
      throw new ValidationException(PHONE_NUMBER_ID, "is required and must be the numeric id of "
          + "the business phone number (not the phone number itself)");
    }
    requireText(settings, ACCESS_TOKEN);
    requireText(settings, APP_SECRET);
    String wabaId = settings.get(BUSINESS_ACCOUNT_ID);
    if (wabaId != null && !wabaId.matches("\\d{1,32}")) {
      throw new ValidationException(BUSINESS_ACCOUNT_ID, "must be numeric");
    }
  }

  private static void requireText(Map<String, String> settings, String key) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      throw new ValidationException(key, "is required");
    }
  }

  @Override
  public String routingKey(Map<String, String> settings) {
    return settings.get(PHONE_NUMBER_ID);
  }

  @Override
  public Optional<WebhookParser> webhookParser() {
    return Optional.of(parser);
  }

  @Override
  public ChannelSender sender(Inbox inbox) {
    return new WhatsAppSender(config, context());
  }

  /**
   * Downloads a media attachment in two steps: the media id gives a short-lived URL
   * ({@code GET /{version}/{media-id}}), which is fetched with the inbox's bearer token into
   * the blob store.
   */
  @Override
  public Attachment fetchAttachment(Inbox inbox, Attachment attachment) throws Exception {
    return new WhatsAppMedia(config, context()).fetch(inbox, attachment);
  }

  private ChannelContext context() {
    ChannelContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("WhatsAppChannel is not registered on a Switchboard");
    }
    return ctx;
  }

  @Override
  public String toString() {
    return "WhatsAppChannel[" + config + "]";
  }
}
