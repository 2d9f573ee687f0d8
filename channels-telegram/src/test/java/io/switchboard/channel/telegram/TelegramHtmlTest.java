package io.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void aShortTextIsOnePart() {
    assertThat(TelegramHtml.split("hello", 4096)).containsExactly("hello");
  }

  @Test
  void aLongTextIsSplitAtParagraphsBeforeWords() {
    String a = "a".repeat(3000);
    String b = "b ".repeat(1000).strip();
    List<String> parts = TelegramHtml.split(a + "\n\n" + b, 4096);

    assertThat(parts).containsExactly(a, b);
  }

  @Test
  void aTextWithoutSpacesIsCutHardButNeverInsideASurrogatePair() {
    String text = "x".repeat(4095) + "😀" + "y";
    List<String> parts = TelegramHtml.split(text, 4096);

    assertThat(parts).containsExactly("x".repeat(4095), "😀y");
  }
}
