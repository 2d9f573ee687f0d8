package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void aHashVerifiesItsPasswordOnly() {
    String stored = Passwords.hash("correct horse".toCharArray());

    assertThat(Passwords.verify("correct horse".toCharArray(), stored)).isTrue();
    assertThat(Passwords.verify("correct horsf".toCharArray(), stored)).isFalse();
    assertThat(Passwords.verify("correct horse".toCharArray(), null)).isFalse();
  }

  @Test
  void theUnknownUsersHashCostsWhatARealOneCostsAndMatchesNoPassword() {
    String unknown = Passwords.unknownUserHash();
    String real = Passwords.hash("x".toCharArray());

    // same scheme and iteration count: verifying it takes the work a real login takes
    assertThat(unknown.split("\\$")[0]).isEqualTo(real.split("\\$")[0]);
    assertThat(unknown.split("\\$")[1]).isEqualTo(real.split("\\$")[1]);
    assertThat(Passwords.unknownUserHash()).isSameAs(unknown);
    for (String guess : new String[] {"", "x", "password", "switchboard"}) {
      assertThat(Passwords.verify(guess.toCharArray(), unknown)).isFalse();
    }
  }
}
