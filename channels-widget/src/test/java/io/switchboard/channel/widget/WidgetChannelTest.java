package io.switchboard.channel.widget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.ValidationException;
import io.switchboard.channel.SendResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WidgetChannelTest {
  private final WidgetChannel channel = WidgetChannel.create();

  @Test
  void generatedSettingsAreValidAndRoutedByTheWebsiteToken() {
    Map<String, String> s = WidgetChannel.settings("https://shop.example", "https://shop.example");

    channel.validateSettings(s);
    assertThat(channel.routingKey(s)).isEqualTo(s.get(WidgetChannel.WEBSITE_TOKEN));
    assertThat(WidgetChannel.settings(null, null).get(WidgetChannel.WEBSITE_TOKEN))
        .isNotEqualTo(s.get(WidgetChannel.WEBSITE_TOKEN));
  }

  @Test
  void badSettingsNameTheSetting() {
    Map<String, String> s = new HashMap<>(WidgetChannel.settings(null, null));
    s.put(WidgetChannel.ALLOWED_ORIGINS, "https://shop.example/path");
    assertThatThrownBy(() -> channel.validateSettings(s))
        .isInstanceOf(ValidationException.class).hasMessageContaining("allowed_origins");

    Map<String, String> mandatoryWithoutKey = new HashMap<>(WidgetChannel.settings(null, null));
    mandatoryWithoutKey.remove(WidgetChannel.HMAC_TOKEN);
    mandatoryWithoutKey.put(WidgetChannel.HMAC_MANDATORY, "true");
    assertThatThrownBy(() -> channel.validateSettings(mandatoryWithoutKey))
        .isInstanceOf(ValidationException.class).hasMessageContaining("hmac_token");

    Map<String, String> shortSecret = new HashMap<>(WidgetChannel.settings(null, null));
    shortSecret.put(WidgetChannel.TOKEN_SECRET, "short");
    assertThatThrownBy(() -> channel.validateSettings(shortSecret))
        .isInstanceOf(ValidationException.class).hasMessageContaining("token_secret");

    Map<String, String> badField = new HashMap<>(WidgetChannel.settings(null, null));
    badField.put(WidgetChannel.PRE_CHAT_FORM_FIELDS, "name,shoe_size");
    assertThatThrownBy(() -> channel.validateSettings(badField))
        .isInstanceOf(ValidationException.class).hasMessageContaining("shoe_size");
  }

  @Test
  void originsAreComparedBySchemeHostAndPort() {
    assertThat(WidgetChannel.origins(" https://Shop.Example/ , http://localhost:8080"))
        .containsExactly("https://shop.example", "http://localhost:8080");
    assertThat(WidgetChannel.normaliseOrigin("null")).isNull();
    assertThat(WidgetChannel.normaliseOrigin("javascript:alert(1)")).isNull();
  }

  @Test
  void repliesNeedNoProvider() throws Exception {
    assertThat(channel.sender(null).send(null)).isEqualTo(SendResult.sent(null));
  }

  @Test
  void visitorTokensExpireAndCannotBeAltered() {
    String secret = "0123456789abcdef0123456789abcdef";
    Instant now = Instant.parse("2026-11-24T12:00:00Z");
    String token = VisitorTokens.issue(secret, 7, 42, now.plusSeconds(60));

    assertThat(VisitorTokens.verify(secret, 7, token, now)).hasValue(42);
    assertThat(VisitorTokens.verify(secret, 7, token, now.plusSeconds(60))).isEmpty();
    assertThat(VisitorTokens.verify(secret, 8, token, now)).isEmpty();
    assertThat(VisitorTokens.verify(secret + "x", 7, token, now)).isEmpty();
    assertThat(VisitorTokens.verify(secret, 7, token.replaceFirst("^42", "43"), now)).isEmpty();
    assertThat(VisitorTokens.verify(secret, 7, "garbage", now)).isEmpty();
    assertThat(VisitorTokens.verify(secret, 7, null, now)).isEmpty();
  }
}
