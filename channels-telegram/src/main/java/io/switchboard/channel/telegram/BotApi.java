package io.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Calls Bot API methods of one bot. The token is part of the URL: never log a URL. */
final class BotApi {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient http;
  private final String baseUrl;
  private final String token;

  BotApi(OkHttpClient http, String baseUrl, String token) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** The outcome of one call: Telegram's {@code ok}, result, error code and description. */
  record Reply(int httpStatus, boolean ok, JsonNode result, int errorCode, String description,
      Duration retryAfter) {}

  OkHttpClient http() {
    return http;
  }

  String methodUrl(String method) {
    return baseUrl + "/bot" + token + "/" + method;
  }

  String fileUrl(String filePath) {
    return baseUrl + "/file/bot" + token + "/" + filePath;
  }

  Reply call(String method, ObjectNode params) throws IOException {
    return call(method, RequestBody.create(JSON.writeValueAsBytes(params), JSON_TYPE), null);
  }

  Reply call(String method, RequestBody body, Duration readTimeout) throws IOException {
    OkHttpClient client = readTimeout == null ? http
        : http.newBuilder().readTimeout(readTimeout).build();
    Request request = new Request.Builder().url(methodUrl(method)).post(body).build();
    try (Response response = client.newCall(request).execute()) {
      return read(response);
    } catch (IOException e) {
      throw sanitized(method, e);
    }
  }

  /**
   * OkHttp's messages may contain the URL, and the URL contains the token: keep only the
   * exception's type.
   */
  static IOException sanitized(String what, IOException e) {
    return new IOException("Telegram " + what + " failed: " + e.getClass().getSimpleName());
  }

  static Reply read(Response response) throws IOException {
    ResponseBody body = response.body();
    String text = body == null ? "" : body.string();
    JsonNode node;
    try {
      node = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      node = JSON.createObjectNode();
    }
    boolean ok = node.path("ok").asBoolean(false) && response.isSuccessful();
    int code = node.path("error_code").asInt(response.code());
    String description = node.path("description").asText("HTTP " + response.code());
    Duration retryAfter = null;
    JsonNode ra = node.path("parameters").path("retry_after");
    if (ra.isNumber()) {
      retryAfter = Duration.ofSeconds(Math.min(3600, Math.max(0, ra.asLong())));
    }
    return new Reply(response.code(), ok, node.get("result"), code, description, retryAfter);
  }

  static ObjectNode params() {
    return JSON.createObjectNode();
  }
}
