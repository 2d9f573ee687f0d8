package io.switchboard.channel.whatsapp;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Provider-wide settings of the WhatsApp channel. Immutable; start from {@link #defaults()}.
 *
 * @param graphBaseUrl the Graph API's base URL, {@code https://graph.facebook.com} by default
 *     (a local MockWebServer in tests)
 * @param apiVersion the Graph API version, such as {@code v23.0}
 * @param verifyToken the webhook verify token of the Meta app, accepted on the {@code GET}
 *     verification request in addition to the inboxes' own {@code verify_token}; may be null
 */
public record WhatsAppConfig(String graphBaseUrl, String apiVersion, String verifyToken) {
  /** The default Graph API base URL. */
  public static final String DEFAULT_BASE_URL = "https://graph.facebook.com";
  /** The default Graph API version. */
  public static final String DEFAULT_API_VERSION = "v23.0";

  public WhatsAppConfig {
    Objects.requireNonNull(graphBaseUrl, "graphBaseUrl");
    if (HttpUrl.parse(graphBaseUrl) == null) {
      throw new IllegalArgumentException("graphBaseUrl is not an http(s) URL");
    }
    graphBaseUrl = graphBaseUrl.endsWith("/")
        ? graphBaseUrl.substring(0, graphBaseUrl.length() - 1) : graphBaseUrl;
    Objects.requireNonNull(apiVersion, "apiVersion");
    if (!apiVersion.matches("v\\d+\\.\\d+")) {
      throw new IllegalArgumentException("apiVersion must look like v23.0, got " + apiVersion);
    }
    if (verifyToken != null && verifyToken.isBlank()) {
      verifyToken = null;
    }
  }

  /** The Graph API at graph.facebook.com, version {@value #DEFAULT_API_VERSION}, no app-wide verify token. */
  public static WhatsAppConfig defaults() {
    return new WhatsAppConfig(DEFAULT_BASE_URL, DEFAULT_API_VERSION, null);
  }

  /** This configuration with another Graph API base URL. */
  public WhatsAppConfig withGraphBaseUrl(String value) {
    return new WhatsAppConfig(value, apiVersion, verifyToken);
  }

  /** This configuration with another Graph API version. */
  public WhatsAppConfig withApiVersion(String value) {
    return new WhatsAppConfig(graphBaseUrl, value, verifyToken);
  }

  /** This configuration with an app-wide webhook verify token. */
  public WhatsAppConfig withVerifyToken(String value) {
    return new WhatsAppConfig(graphBaseUrl, apiVersion, value);
  }

  /** Prints no verify token. */
  @Override
  public String toString() {
    return "WhatsAppConfig[graphBaseUrl=" + graphBaseUrl + ", apiVersion=" + apiVersion
        + ", verifyToken=" + (verifyToken == null ? "none" : "set") + "]";
  }
}
