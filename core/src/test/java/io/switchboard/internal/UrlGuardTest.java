package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.ValidationException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class UrlGuardTest {
  @Test
  void loopbackPrivateLinkLocalAndUnspecifiedAddressesAreRefused() throws Exception {
    for (String a : new String[] {"127.0.0.1", "127.8.9.10", "10.0.0.1", "10.255.255.255",
        "172.16.0.1", "172.31.255.254", "192.168.0.1", "169.254.169.254", "0.0.0.0",
        "100.64.0.1", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:10.0.0.1"}) {
      assertThat(UrlGuard.refused(InetAddress.getByName(a))).as(a).isTrue();
    }
  }

  @Test
  void publicAddressesAreAccepted() throws Exception {
    for (String a : new String[] {"93.184.215.14", "172.32.0.1", "172.15.255.255", "8.8.8.8",
        "2606:2800:220:1:248:1893:25c8:1946"}) {
      assertThat(UrlGuard.refused(InetAddress.getByName(a))).as(a).isFalse();
    }
  }

  @Test
  void privateUrlsPassOnlyWhenAllowedAndOnlyHttpUrlsEver() {
    assertThatThrownBy(() -> new UrlGuard(false).check("http://10.1.2.3/hook"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("10.1.2.3");
    assertThatCode(() -> new UrlGuard(true).check("http://10.1.2.3/hook")).doesNotThrowAnyException();
    assertThatThrownBy(() -> new UrlGuard(true).check("file:///etc/passwd"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new UrlGuard(true).check("not a url"))
        .isInstanceOf(ValidationException.class);
  }
}
