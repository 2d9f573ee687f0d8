package io.switchboard.channel.email;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed server certificates made at test time by the JDK's {@code keytool}, so that no
 * private key is committed. {@link #LOOPBACK} names 127.0.0.1 and localhost; GreenMail's SSL
 * servers use it once {@link #useForGreenMail()} ran.
 */
final class TestCertificates {
  static final String PASSWORD = "changeit";
  /** A certificate for {@code IP:127.0.0.1} and {@code DNS:localhost}. */
  static final Path LOOPBACK = generate("loopback", "ip:127.0.0.1,dns:localhost");
  /** A certificate for {@code DNS:mail.elsewhere.test} only. */
  static final Path ELSEWHERE = generate("elsewhere", "dns:mail.elsewhere.test");

  private TestCertificates() {}

  /**
   * Makes GreenMail's SSL servers present {@link #LOOPBACK}. GreenMail reads these system
   * properties once per JVM, when its first SSL server starts: call this from the static
   * initializer of every test class that starts one, before its GreenMail extension.
   */
  static void useForGreenMail() {
    System.setProperty("greenmail.tls.keystore.file", LOOPBACK.toString());
    System.setProperty("greenmail.tls.keystore.password", PASSWORD);
    System.setProperty("greenmail.tls.key.password", PASSWORD);
  }

  /** A TLS context that trusts {@code keystore}'s certificate and nothing else. */
  static SSLContext trusting(Path keystore) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    Certificate cert = load(keystore).getCertificate("server");
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** A TLS context whose key is {@code keystore}'s, for a test server. */
  static SSLContext serving(Path keystore) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keystore), PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static KeyStore load(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static Path generate(String name, String san) {
    try {
      Path dir = Files.createTempDirectory("switchboard-tls-");
      Path file = dir.resolve(name + ".p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
          "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
          "-dname", "CN=Switchboard test " + name, "-ext", "SAN=" + san,
          "-storetype", "PKCS12", "-keystore", file.toString(),
          "-storepass", PASSWORD, "-keypass", PASSWORD))
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      dir.toFile().deleteOnExit(); // deleted after the file, registered later
      file.toFile().deleteOnExit();
      return file;
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate the test certificate " + name, e);
    }
  }
}
