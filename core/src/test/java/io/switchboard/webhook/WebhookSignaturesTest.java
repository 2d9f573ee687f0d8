package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {
  private static final String SECRET = "whsec-0123456789abcdef";
  private static final byte[] BODY = "{\"event\":\"message_created\",\"id\":1}"
      .getBytes(StandardCharsets.UTF_8);
  private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_795_539_600L), ZoneOffset.UTC);

  @Test
  void theSignatureIsTheHexHmacOfTimestampDotBody() {
    // computed independently: printf '1795539600.{"event":"message_created","id":1}' |
    //   openssl dgst -sha256 -hmac whsec-0123456789abcdef
    String signature = WebhookSignatures.sign(SECRET, "1795539600", BODY);
    assertThat(signature).isEqualTo(
        "sha256=fb1f97debdaefbfc297a6871016ace9377b431501bca9a4cc3f825221928f0e1");
    assertThat(WebhookSignatures.verify(SECRET, "1795539600", BODY, signature,
        Duration.ofMinutes(5), NOW)).isTrue();
  }

  @Test
  void aWrongSecretAChangedBodyOrAnotherTimestampDoNotVerify() {
    String signature = WebhookSignatures.sign(SECRET, "1795539600", BODY);
    assertThat(WebhookSignatures.verify("another-secret-0123456789", "1795539600", BODY,
        signature, Duration.ofMinutes(5), NOW)).isFalse();
    assertThat(WebhookSignatures.verify(SECRET, "1795539600",
        "{\"event\":\"message_created\",\"id\":2}".getBytes(StandardCharsets.UTF_8), signature,
        Duration.ofMinutes(5), NOW)).isFalse();
    assertThat(WebhookSignatures.verify(SECRET, "1795539601", BODY, signature,
        Duration.ofMinutes(5), NOW)).isFalse();
  }

  @Test
  void anOldTimestampIsRejectedEvenWithAValidSignature() {
    String old = Long.toString(NOW.instant().minus(Duration.ofMinutes(10)).getEpochSecond());
    String signature = WebhookSignatures.sign(SECRET, old, BODY);
    assertThat(WebhookSignatures.verify(SECRET, old, BODY, signature, Duration.ofMinutes(5), NOW))
        .isFalse();
    assertThat(WebhookSignatures.verify(SECRET, old, BODY, signature, Duration.ofMinutes(15), NOW))
        .isTrue();
  }

  @Test
  void missingOrMalformedHeadersGiveFalseNeverAnException() {
    String signature = WebhookSignatures.sign(SECRET, "1795539600", BODY);
    assertThat(WebhookSignatures.verify(SECRET, null, BODY, signature, Duration.ofMinutes(5), NOW))
        .isFalse();
    assertThat(WebhookSignatures.verify(SECRET, "yesterday", BODY, signature,
        Duration.ofMinutes(5), NOW)).isFalse();
    assertThat(WebhookSignatures.verify(SECRET, "1795539600", BODY, null, Duration.ofMinutes(5),
        NOW)).isFalse();
    assertThat(WebhookSignatures.verify(SECRET, "1795539600", BODY, "sha256=zz",
        Duration.ofMinutes(5), NOW)).isFalse();
  }
}
