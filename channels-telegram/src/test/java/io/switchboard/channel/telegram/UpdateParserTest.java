package io.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateParserTest {
  static final ObjectMapper JSON = new ObjectMapper();

  UpdateParser.Result parse(boolean groups, String update) throws Exception {
    return new UpdateParser(groups).parse(JSON.readTree(Updates.json(update)));
  }

  @Test
  void groupChatsAreIgnoredByDefault() throws Exception {
    assertThat(parse(false, "group_message").events()).isEmpty();
  }

  @Test
  void groupChatsAreAcceptedWhenConfiguredWithTheSenderAsContactAndTheGroupAsChat()
      throws Exception {
    InboundMessage m = (InboundMessage) parse(true, "group_message").events().get(0);

    assertThat(m.sourceId()).isEqualTo("-1001234567890:40");
    assertThat(m.contact().sourceId()).isEqualTo("444");
    assertThat(m.conversationAttributes()).containsEntry("chat_id", "-1001234567890")
        .containsEntry("chat_type", "supergroup");
  }

  @Test
  void anUpdateWithoutUpdateIdIsRefused() {
    assertThatThrownBy(() -> new UpdateParser(false).parse(JSON.readTree("{\"message\":{}}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsNeedABotFatherTokenAndAWebhookSecret() {
    TelegramChannel channel = TelegramChannel.create();

    channel.validateSettings(Map.of("bot_token", Updates.BOT_TOKEN, "secret_token",
        Updates.SECRET));
    assertThat(channel.routingKey(Map.of("bot_token", Updates.BOT_TOKEN)))
        .isEqualTo(Updates.BOT_ID);
    assertThatThrownBy(() -> channel.validateSettings(Map.of("secret_token", Updates.SECRET)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("bot_token");
    assertThatThrownBy(() -> channel.validateSettings(Map.of("bot_token", Updates.BOT_TOKEN,
        "secret_token", "has spaces!"))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("secret_token");
  }
}
