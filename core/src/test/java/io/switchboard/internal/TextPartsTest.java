package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextPartsTest {

  @Test
  void aShortTextIsOnePart() {
    assertThat(TextParts.split("hello", 4096)).containsExactly("hello");
  }

  @Test
  void aLongTextIsSplitAtParagraphsBeforeWords() {
    String a = "a".repeat(3000);
    String b = "b ".repeat(1000).strip();
    List<String> parts = TextParts.split(a + "\n\n" + b, 4096);

    assertThat(parts).containsExactly(a, b);
  }

  @Test
  void aTextWithoutSpacesIsCutHardButNeverInsideASurrogatePair() {
    String text = "x".repeat(4095) + "😀" + "y";
    List<String> parts = TextParts.split(text, 4096);

    assertThat(parts).containsExactly("x".repeat(4095), "😀y");
  }

  @Test
  void noPartIsOnlyWhitespace() {
    String text = " ".repeat(5000) + "z".repeat(10);

    assertThat(TextParts.split(text, 4096)).containsExactly("z".repeat(10));
  }
}
