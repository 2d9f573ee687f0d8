package io.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WhatsApp Cloud API webhook deliveries as Meta sends them: one message per delivery, from a
 * pool of contacts of whom some write for the first time and the rest again, four in five
 * messages text and one in five an image (whose media the pipeline downloads from the local
 * Graph API), each signed with {@code X-Hub-Signature-256}.
 */
final class WhatsAppTraffic {
  static final String PHONE_NUMBER_ID = "106540352242922";
  static final String APP_SECRET = "bench-app-secret-0123456789abcdef";
  static final String ACCESS_TOKEN = "bench-access-token";
  private static final String[] TEXTS = {
      "Hi, where is my order?", "Do you ship to Norway?", "Can I change the delivery address?",
      "The blue tent, is it still in stock?", "Thanks, that helps a lot!",
      "My parcel arrived damaged, what now?", "Is there a discount for students?",
      "When do you open tomorrow?"};

  /** One delivery: its provider message id, whether it carries media, the body and signature. */
  record Delivery(String wamid, String waId, boolean media, byte[] body, String signature) {}

  private final String run;
  private final int contacts;
  private final Random random;
  private int next;
  private int seen;
  private int images;

  /**
   * @param run a tag that makes message ids unique across runs
   * @param contacts how many different contacts write
   */
  WhatsAppTraffic(String run, int contacts, long seed) {
    this.run = run;
    this.contacts = contacts;
    this.random = new Random(seed);
  }

  /**
   * The next delivery. Contacts are introduced one by one, so the first messages come mostly
   * from new contacts; afterwards a third are new until the pool is used up.
   */
  synchronized Delivery next() {
    int n = next++;
    String waId;
    if (seen < contacts && (seen == 0 || random.nextInt(3) == 0)) {
      waId = waId(seen++);
    } else {
      waId = waId(random.nextInt(seen));
    }
    return delivery(n, waId, random.nextInt(5) == 0);
  }

  /** A text message from the {@code i}th contact of the pool. */
  synchronized Delivery fromContact(int i) {
    return delivery(next++, waId(i), false);
  }

  /** How many deliveries so far carried an image, whose media the pipeline downloads. */
  synchronized int images() {
    return images;
  }

  private Delivery delivery(int n, String waId, boolean media) {
    if (media) {
      images++;
    }
    String wamid = "wamid.bench." + run + "." + n;
    String message = media
        ? "{\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\""
            + (System.currentTimeMillis() / 1000) + "\",\"type\":\"image\",\"image\":{"
            + "\"caption\":\"photo " + n + "\",\"mime_type\":\"image/jpeg\",\"sha256\":"
            + "\"SEsaiFQlGzGt0mzXRkcCoWIwL0hsRT+cFw7VqSvTXH4=\",\"id\":\"media" + n + "\"}}"
        : "{\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\""
            + (System.currentTimeMillis() / 1000) + "\",\"type\":\"text\",\"text\":{\"body\":\""
            + TEXTS[random.nextInt(TEXTS.length)] + "\"}}";
    String json = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":"
        + "\"102290129340398\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\","
        + "\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\""
        + PHONE_NUMBER_ID + "\"},\"contacts\":[{\"profile\":{\"name\":\"Customer " + waId
        + "\"},\"wa_id\":\"" + waId + "\"}],\"messages\":[" + message + "]},"
        + "\"field\":\"messages\"}]}]}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return new Delivery(wamid, waId, media, body, sign(body));
  }

  static String waId(int i) {
    return Long.toString(4915100000000L + i);
  }

  static String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
