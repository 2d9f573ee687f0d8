package io.switchboard.channel.whatsapp;

import io.switchboard.channel.WebhookRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Recorded Cloud API payloads, signing as Meta does, and a clock tests can move forward. */
final class Payloads {
  static final String PHONE_NUMBER_ID = "106540352242922";
  static final String APP_SECRET = "d41d8cd98f00b204e9800998ecf8427e";
  static final String ACCESS_TOKEN = "EAAGtest-access-token";
  static final String INBOX_VERIFY_TOKEN = "inbox-verify-token";
  static final String APP_VERIFY_TOKEN = "app-verify-token";

  private Payloads() {}

  /** The recorded payload {@code payloads/<name>}. */
  static String read(String name) {
    return readResource("/payloads/" + name);
  }

  /** The test resource at {@code path}. */
  static String readResource(String path) {
    try (InputStream in = Payloads.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code X-Hub-Signature-256} value Meta sends for {@code body}. */
  static String signature(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A POST of {@code body} signed with {@code secret}, or unsigned when it is null. */
  static WebhookRequest post(String body, String secret) {
    WebhookRequest.Builder b = WebhookRequest.builder("POST", "/webhooks/whatsapp")
        .header("Content-Type", "application/json").body(body);
    if (secret != null) {
      b.header("X-Hub-Signature-256", signature(secret, body));
    }
    return b.build();
  }

  /** The system clock, which tests can move forward. */
  static final class MutableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }
  }
}
