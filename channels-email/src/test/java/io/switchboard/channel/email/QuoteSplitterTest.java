package io.switchboard.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuoteSplitterTest {

  @Test
  void gmailQuoteIsCutAtOnDateWrote() {
    assertThat(QuoteSplitter.reply("Thanks!\n\nOn Tue, 24 Nov 2026 at 10:00, Dana <d@x.test> "
        + "wrote:\n> earlier")).isEqualTo("Thanks!");
  }

  @Test
  void appleMailQuoteIsCutAtOnDateAtTimeWrote() {
    assertThat(QuoteSplitter.reply("Sounds good.\n\nSent from my iPhone\n\n"
        + "On 24 Nov 2026, at 10:00, Dana Scully <dana@example.test> wrote:\n\n> Hi"))
        .isEqualTo("Sounds good.\n\nSent from my iPhone");
  }

  @Test
  void outlookHeaderBlockIsCut() {
    assertThat(QuoteSplitter.reply("See attached.\r\n\r\nFrom: Acme <s@acme.test>\r\n"
        + "Sent: Tuesday, November 24, 2026 10:00 AM\r\nTo: Dana\r\n\r\nold text"))
        .isEqualTo("See attached.");
    assertThat(QuoteSplitter.reply("Yes.\n-----Original Message-----\nFrom: a\n"))
        .isEqualTo("Yes.");
  }

  @Test
  void aTrailingBlockOfQuotedLinesIsCut() {
    assertThat(QuoteSplitter.reply("New text\n> old\n> older\n")).isEqualTo("New text");
  }

  @Test
  void aQuoteOfThousandsOfLinesIsCutWithoutExhaustingTheStack() {
    StringBuilder text = new StringBuilder("Thanks!\n\nOn Mon, Dana wrote:\n");
    StringBuilder quote = new StringBuilder("New text\n");
    for (int i = 0; i < 5_000; i++) {
      text.append("> line ").append(i).append('\n');
      quote.append(i % 10 == 9 ? "\n" : "> line " + i + "\n");
    }

    assertThat(QuoteSplitter.reply(text.toString())).isEqualTo("Thanks!");
    assertThat(QuoteSplitter.reply(quote.toString())).isEqualTo("New text");
  }

  @Test
  void quotedLinesFollowedByNewTextAreKept() {
    assertThat(QuoteSplitter.reply("> you asked\nMy answer\n")).isEqualTo("> you asked\nMy answer");
    assertThat(QuoteSplitter.reply("Top\r\n> q\r\n  \r\n> q2\r\n\t\r\n")).isEqualTo("Top");
  }

  @Test
  void textWithoutAQuoteIsKeptWhole() {
    assertThat(QuoteSplitter.reply("Line one\nFrom: the shop, I got nothing.\nLine three"))
        .isEqualTo("Line one\nFrom: the shop, I got nothing.\nLine three");
  }

  @Test
  void aMessageThatIsOnlyAQuoteKeepsItsText() {
    assertThat(QuoteSplitter.reply("> only quoted")).isEqualTo("> only quoted");
  }
}
