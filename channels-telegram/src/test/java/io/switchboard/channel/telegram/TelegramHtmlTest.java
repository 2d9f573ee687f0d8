package io.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelegramHtmlTest {

  @Test
  void htmlSpecialCharactersAreEscapedSoAgentTextCannotInjectMarkup() {
    assertThat(TelegramHtml.render("<a href=\"x\">hi</a> & 1 < 2"))
        .isEqualTo("&lt;a href=\"x\"&gt;hi&lt;/a&gt; &amp; 1 &lt; 2");
  }

  @Test
  void markdownBecomesTelegramTagsAndNestsInsideBold() {
    assertThat(TelegramHtml.render("**bold _and italic_** *it* ~~gone~~"))
        .isEqualTo("<b>bold <i>and italic</i></b> <i>it</i> <s>gone</s>");
  }

  @Test
  void codeSpansAreNotFormattedInside() {
    assertThat(TelegramHtml.render("`**not bold** & <tag>`"))
        .isEqualTo("<code>**not bold** &amp; &lt;tag&gt;</code>");
  }

  @Test
  void snakeCaseWordsAreNotItalic() {
    assertThat(TelegramHtml.render("set max_retry_count now")).isEqualTo("set max_retry_count now");
  }
}
