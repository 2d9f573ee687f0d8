package io.switchboard.channel.telegram;

import io.switchboard.channel.WebhookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Recorded updates under {@code src/test/resources/updates/} and webhook requests of them. */
final class Updates {
  static final String BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  static final String BOT_ID = "123456789";
  static final String SECRET = "s3cret_Token-1";

  private Updates() {}

  static String json(String name) {
    try (InputStream in = Updates.class.getResourceAsStream("/updates/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded update " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static WebhookRequest webhook(String name, String secret) {
    WebhookRequest.Builder b = WebhookRequest.builder("POST", "/webhooks/telegram/" + BOT_ID)
        .header("Content-Type", "application/json").body(json(name));
    if (secret != null) {
      b.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    return b.build();
  }

  static WebhookRequest webhook(String name) {
    return webhook(name, SECRET);
  }
}
