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
  void textWithoutAQuoteIsKeptWhole() {
    assertThat(QuoteSplitter.reply("Line one\nFrom: the shop, I got nothing.\nLine three"))
        .isEqualTo("Line one\nFrom: the shop, I got nothing.\nLine three");
  }

  @Test
  void aMessageThatIsOnlyAQuoteKeepsItsText() {
    assertThat(QuoteSplitter.reply("> only quoted")).isEqualTo("> only quoted");
  }
}
