package io.switchboard.channel.widget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WidgetAssetsTest {

  @Test
  void theScriptIsOnTheClasspath() {
    String script = WidgetAssets.script();

    assertThat(script).contains("window.switchboardSettings").contains("$switchboard");
    assertThat(WidgetAssets.script()).isSameAs(script);
  }

  @Test
  void theScriptNeverWritesHtml() {
    String script = WidgetAssets.script();

    assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
        "document.write", "eval(", "new Function");
    assertThat(script).contains("textContent");
  }

  @Test
  void theScriptSpeaksTheDocumentedProtocol() {
    String script = WidgetAssets.script();

    assertThat(script).contains("\"X-Widget-Token\"", "website_token=", "pubsub_token",
        "last_sequence", "\"/realtime\"", "message.created", "conversation.typing_on");
  }
}
