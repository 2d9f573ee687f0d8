package io.switchboard.channel.widget;

import io.switchboard.ValidationException;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.ChannelSender;
import io.switchboard.channel.SendResult;
import io.switchboard.internal.Tokens;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web-chat widget channel: one inbox per website.
 *
 * <p>Settings of a widget inbox:
 * <ul>
 *   <li>{@code website_token}: the public key the embedding page presents; the inbox's routing
 *       key. Use {@link #settings(String, String)} to get a random one;
 *   <li>{@code website_url}: the website, shown to agents (optional);
 *   <li>{@code allowed_origins}: comma-separated origins ({@code https://shop.example}) whose
 *       pages may use the widget API; empty or absent allows any origin;
 *   <li>{@code hmac_token}: the secret of identity verification: a {@code set_user} call carries
 *       {@code identifier_hash} = hex HMAC-SHA256(hmac_token, identifier);
 *   <li>{@code hmac_mandatory}: {@code true} refuses {@code set_user} without a valid hash;
 *   <li>{@code token_secret}: the key visitor tokens are signed with (at least 32 characters;
 *       changing it signs every visitor out);
 *   <li>{@code pre_chat_form_enabled}, {@code pre_chat_form_fields} (comma-separated, among
 *       {@code name}, {@code email}, {@code phone_number}) and {@code pre_chat_message}: the form
 *       a visitor fills in before the first message;
 *   <li>{@code widget_color}, {@code welcome_title}, {@code welcome_tagline}: the look of the
 *       widget.
 * </ul>
 * The greeting is the inbox's own greeting message.
 *
 * <p>Outgoing messages need no provider: agents' replies reach the visitor through the
 * real-time hub ({@code RealtimeHub.subscribeContact} with the visitor's pubsub token), so
 * the sender marks every message sent at once.
 */
public final class WidgetChannel implements ChannelProvider {
  /** The public key of the website: the inbox's routing key. */
  public static final String WEBSITE_TOKEN = "website_token";
  /** The website's URL. */
  public static final String WEBSITE_URL = "website_url";
  /** Comma-separated allowed origins; empty allows any. */
  public static final String ALLOWED_ORIGINS = "allowed_origins";
  /** The identity-verification secret. */
  public static final String HMAC_TOKEN = "hmac_token";
  /** Whether identity verification is mandatory. */
  public static final String HMAC_MANDATORY = "hmac_mandatory";
  /** The visitor-token signing secret. */
  public static final String TOKEN_SECRET = "token_secret";
  /** Whether the pre-chat form is shown. */
  public static final String PRE_CHAT_FORM_ENABLED = "pre_chat_form_enabled";
  /** The pre-chat form's required fields. */
  public static final String PRE_CHAT_FORM_FIELDS = "pre_chat_form_fields";
  /** The text above the pre-chat form. */
  public static final String PRE_CHAT_MESSAGE = "pre_chat_message";

  static final List<String> PRE_CHAT_FIELDS = List.of("name", "email", "phone_number");

  private volatile ChannelContext context;

  private WidgetChannel() {}

  /** A new widget channel provider, to register on {@code Switchboard.builder().channel(...)}. */
  public static WidgetChannel create() {
    return new WidgetChannel();
  }

  /**
   * Settings for a new widget inbox: a random {@code website_token}, {@code hmac_token} and
   * {@code token_secret}, the website's URL and allowed origins (null for any).
   */
  public static Map<String, String> settings(String websiteUrl, String allowedOrigins) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(WEBSITE_TOKEN, Tokens.random(18));
    s.put(HMAC_TOKEN, Tokens.random(24));
    s.put(TOKEN_SECRET, Tokens.random(32));
    s.put(HMAC_MANDATORY, "false");
    if (websiteUrl != null) {
      s.put(WEBSITE_URL, websiteUrl);
    }
    if (allowedOrigins != null) {
      s.put(ALLOWED_ORIGINS, allowedOrigins);
    }
    return s;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WEB_WIDGET;
  }

  @Override
  public void init(ChannelContext context) {
    this.context = context;
  }

  ChannelContext context() {
    ChannelContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("WidgetChannel is not registered on a Switchboard");
    }
    return ctx;
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    String token = settings.get(WEBSITE_TOKEN);
    if (token == null || token.length() < 16 || !token.matches("[A-Za-z0-9_-]+")) {
      throw new ValidationException(WEBSITE_TOKEN,
          "is required: at least 16 characters of A-Z, a-z, 0-9, _ and -");
    }
    String secret = settings.get(TOKEN_SECRET);
    if (secret == null || secret.length() < 32) {
      throw new ValidationException(TOKEN_SECRET, "is required and must have at least 32 characters");
    }
    boolean mandatory = bool(settings, HMAC_MANDATORY, HMAC_MANDATORY);
    String hmac = settings.get(HMAC_TOKEN);
    if (hmac != null && hmac.length() < 16) {
      throw new ValidationException(HMAC_TOKEN, "must have at least 16 characters");
    }
    if (mandatory && hmac == null) {
      throw new ValidationException(HMAC_TOKEN, "is required when hmac_mandatory is true");
    }
    origins(settings.get(ALLOWED_ORIGINS));
    bool(settings, PRE_CHAT_FORM_ENABLED, PRE_CHAT_FORM_ENABLED);
    for (String f : list(settings.get(PRE_CHAT_FORM_FIELDS))) {
      if (!PRE_CHAT_FIELDS.contains(f)) {
        throw new ValidationException(PRE_CHAT_FORM_FIELDS, "has " + f + "; expected one of "
            + PRE_CHAT_FIELDS);
      }
    }
  }

  @Override
  public String routingKey(Map<String, String> settings) {
    return settings.get(WEBSITE_TOKEN);
  }

  /** Widget replies reach visitors through the real-time hub: nothing to send. */
  @Override
  public ChannelSender sender(Inbox inbox) {
    return message -> SendResult.sent(null);
  }

  static boolean bool(Map<String, String> settings, String key, String field) {
    String v = settings.get(key);
    if (v == null || v.isBlank() || v.equalsIgnoreCase("false")) {
      return false;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    throw new ValidationException(field, "must be true or false, not " + v);
  }

  static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    if (csv != null) {
      for (String part : csv.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }

  /** The normalised allowed origins; empty means any. */
  static List<String> origins(String csv) {
    List<String> out = new ArrayList<>();
    for (String o : list(csv)) {
      String n = normaliseOrigin(o);
      if (n == null) {
        throw new ValidationException(ALLOWED_ORIGINS, "has " + o
            + "; expected origins such as https://shop.example or http://localhost:8080");
      }
      out.add(n);
    }
    return out;
  }

  /** scheme://host[:port] in lower case, or null when {@code origin} is not one. */
  static String normaliseOrigin(String origin) {
    try {
      URI u = new URI(origin.strip());
      if (u.getScheme() == null || u.getHost() == null
          || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
          || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))
          || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
        return null;
      }
      String s = u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT);
      return u.getPort() >= 0 ? s + ":" + u.getPort() : s;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
