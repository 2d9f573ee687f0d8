package io.switchboard.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookRequestTest {
  @Test
  void headersAreFoundWhateverTheirCase() {
    WebhookRequest r = WebhookRequest.builder("post", "/hook")
        .header("X-Hub-Signature-256", "sha256=ab").body("{}").build();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("x-hub-signature-256")).contains("sha256=ab");
    assertThat(r.header("X-HUB-SIGNATURE-256")).contains("sha256=ab");
    assertThat(r.header("missing")).isEmpty();
  }

  @Test
  void theBodyCannotBeChangedFromOutside() {
    byte[] body = "{\"a\":1}".getBytes();
    WebhookRequest r = WebhookRequest.builder("POST", "/").body(body).build();
    body[0] = 'X';
    r.body()[1] = 'Y';
    assertThat(r.bodyAsString()).isEqualTo("{\"a\":1}");
  }

  @Test
  void printingARequestShowsNeitherHeadersNorBody() {
    WebhookRequest r = WebhookRequest.builder("POST", "/hook")
        .header("X-Telegram-Bot-Api-Secret-Token", "tg-secret").body("hello there").build();
    assertThat(r.toString()).doesNotContain("tg-secret").doesNotContain("hello there")
        .contains("11 bytes");
  }
}
