package io.switchboard.channel.whatsapp;

import static io.switchboard.channel.whatsapp.Payloads.APP_SECRET;
import static io.switchboard.channel.whatsapp.Payloads.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.channel.InboxDirectory;
import io.switchboard.channel.ParsedWebhook;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.MessageStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The parser and settings on their own, without a store. */
class WhatsAppParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WhatsAppChannel channel = WhatsAppChannel.create();
  private final Inbox inbox = new Inbox(7, 3, "WhatsApp", ChannelType.WHATSAPP, PHONE_NUMBER_ID,
      Map.of(WhatsAppChannel.PHONE_NUMBER_ID, PHONE_NUMBER_ID,
          WhatsAppChannel.ACCESS_TOKEN, Payloads.ACCESS_TOKEN,
          WhatsAppChannel.APP_SECRET, APP_SECRET), false, false, false, null, false,
      Instant.EPOCH, Instant.EPOCH);
  private final InboxDirectory directory = (type, key) ->
      type == ChannelType.WHATSAPP && key.equals(PHONE_NUMBER_ID) ? Optional.of(inbox)
          : Optional.empty();

  private ParsedWebhook parse(WebhookRequest request) {
    return channel.webhookParser().orElseThrow().parse(request, directory);
  }

  /** Parses with a directory that records every routing key it is asked for. */
  private ParsedWebhook parse(WebhookRequest request, List<String> lookups) {
    return channel.webhookParser().orElseThrow().parse(request, (type, key) -> {
      lookups.add(key);
      return directory.findByRoutingKey(type, key);
    });
  }

  /**
   * The recorded text delivery with one change per id, each the recorded change addressed to
   * that phone_number_id, with its own wamid.
   */
  private static String deliveryFor(List<String> phoneNumberIds) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(Payloads.read("text.json"));
    ArrayNode changes = (ArrayNode) root.path("entry").path(0).path("changes");
    JsonNode recorded = changes.remove(0);
    for (String id : phoneNumberIds) {
      ObjectNode change = recorded.deepCopy();
      ((ObjectNode) change.path("value").path("metadata")).put("phone_number_id", id);
      ((ObjectNode) change.path("value").path("messages").path(0)).put("id", "wamid.TO-" + id);
      changes.add(change);
    }
    return JSON.writeValueAsString(root);
  }

  private static List<String> unknownIds(int count) {
    return IntStream.range(0, count).mapToObj(i -> Long.toString(200000000000000L + i)).toList();
  }

  @Test
  void aDeliveryNamingMoreThanFiftyNumbersGets400WithoutAnyLookup() throws Exception {
    List<String> ids = new ArrayList<>(unknownIds(WhatsAppParser.MAX_PHONE_NUMBER_IDS));
    ids.add(PHONE_NUMBER_ID);
    List<String> lookups = new ArrayList<>();

    ParsedWebhook parsed = parse(Payloads.post(deliveryFor(ids), APP_SECRET), lookups);

    assertThat(parsed.response().status()).isEqualTo(400);
    assertThat(parsed.response().body()).contains("more than 50 phone_number_ids");
    assertThat(parsed.events()).isEmpty();
    assertThat(lookups).as("the store is not asked about any number").isEmpty();
  }

  @Test
  void fiftyUnknownNumbersAreEachLookedUpOnceAndAcknowledgedWithoutEvents() throws Exception {
    List<String> ids = unknownIds(WhatsAppParser.MAX_PHONE_NUMBER_IDS);
    List<String> twice = new ArrayList<>(ids);
    twice.addAll(ids);
    List<String> lookups = new ArrayList<>();

    ParsedWebhook parsed = parse(Payloads.post(deliveryFor(twice), null), lookups);

    assertThat(parsed.response().status()).isEqualTo(200);
    assertThat(parsed.events()).isEmpty();
    assertThat(lookups).containsExactlyElementsOf(ids);
  }

  @Test
  void anUnsignedDeliveryGets401AndNoLookupAfterTheFirstKnownNumber() throws Exception {
    List<String> ids = new ArrayList<>(unknownIds(3));
    ids.add(PHONE_NUMBER_ID);
    ids.addAll(unknownIds(40).subList(3, 40));
    List<String> lookups = new ArrayList<>();

    ParsedWebhook unsigned = parse(Payloads.post(deliveryFor(ids), null), lookups);

    assertThat(unsigned.response().status()).isEqualTo(401);
    assertThat(unsigned.events()).isEmpty();
    assertThat(lookups).containsExactlyElementsOf(ids.subList(0, 4));

    lookups.clear();
    ParsedWebhook forged = parse(Payloads.post(deliveryFor(ids), "not-the-app-secret"), lookups);
    assertThat(forged.response().status()).isEqualTo(401);
    assertThat(lookups).hasSize(4);
  }

  @Test
  void aSignedDeliveryNamingManyNumbersYieldsTheKnownNumbersEventsOnly() throws Exception {
    List<String> ids = new ArrayList<>(unknownIds(30));
    ids.add(10, PHONE_NUMBER_ID);
    List<String> lookups = new ArrayList<>();

    ParsedWebhook parsed = parse(Payloads.post(deliveryFor(ids), APP_SECRET), lookups);

    assertThat(parsed.response().status()).isEqualTo(200);
    assertThat(parsed.events()).singleElement().satisfies(e -> {
      assertThat(e.inboxId()).isEqualTo(7);
      assertThat(((InboundMessage) e.event()).sourceId()).isEqualTo("wamid.TO-" + PHONE_NUMBER_ID);
    });
    assertThat(lookups).containsExactlyElementsOf(ids);
  }

  @Test
  void aMalformedPhoneNumberIdIsNeverLookedUp() throws Exception {
    List<String> lookups = new ArrayList<>();
    String body = deliveryFor(List.of("x".repeat(10_000), "1 OR 1=1", PHONE_NUMBER_ID));

    ParsedWebhook parsed = parse(Payloads.post(body, APP_SECRET), lookups);

    assertThat(parsed.response().status()).isEqualTo(200);
    assertThat(parsed.events()).hasSize(1);
    assertThat(lookups).containsExactly(PHONE_NUMBER_ID);
  }

  @Test
  void aSignatureInUpperCaseHexIsAccepted() {
    String body = Payloads.read("text.json");
    WebhookRequest request = WebhookRequest.builder("POST", "/wa")
        .header("X-Hub-Signature-256", Payloads.signature(APP_SECRET, body).toUpperCase(Locale.ROOT)
            .replace("SHA256=", "sha256="))
        .body(body).build();
    ParsedWebhook parsed = parse(request);
    assertThat(parsed.response().status()).isEqualTo(200);
    assertThat(parsed.events()).singleElement().satisfies(e -> {
      assertThat(e.accountId()).isEqualTo(3);
      assertThat(e.inboxId()).isEqualTo(7);
      assertThat(e.event()).isInstanceOf(InboundMessage.class);
    });
  }

  @Test
  void aRemovedReactionIsAReactionWithoutContent() {
    String body = Payloads.read("reaction.json").replace("\"emoji\": \"\uD83D\uDC4D\"", "\"emoji\": \"\"");
    InboundMessage m = (InboundMessage) parse(Payloads.post(body, APP_SECRET)).events().get(0).event();
    assertThat(m.content()).isNull();
    assertThat(m.contentAttributes()).containsEntry("is_reaction", true)
        .containsEntry("reaction_removed", true)
        .containsEntry("in_reply_to_external_id", "wamid.ORIGINAL-FOR-REACTION");
  }

  @Test
  void everyStatusOfADeliveryBecomesAnEventAndUnknownStatusesAreSkipped() {
    String body = Payloads.read("status_failed.json").replace("\"statuses\": [",
        "\"statuses\": [{\"id\": \"wamid.A\", \"status\": \"delivered\"}, "
            + "{\"id\": \"wamid.B\", \"status\": \"deleted\"}, ");
    var events = parse(Payloads.post(body, APP_SECRET)).events();
    assertThat(events).extracting(e -> ((InboundStatus) e.event()).status())
        .containsExactly(MessageStatus.DELIVERED, MessageStatus.FAILED);
    assertThat(((InboundStatus) events.get(1).event()).error()).startsWith("131047: Re-engagement message — ");
  }

  @Test
  void aDeliveryForAnotherObjectIsAcknowledgedAndIgnored() {
    ParsedWebhook parsed = parse(Payloads.post("{\"object\":\"page\",\"entry\":[]}", null));
    assertThat(parsed.response().status()).isEqualTo(200);
    assertThat(parsed.events()).isEmpty();
  }

  @Test
  void otherMethodsGet405() {
    assertThat(parse(WebhookRequest.builder("PUT", "/wa").build()).response().status())
        .isEqualTo(405);
  }

  @Test
  void settingsWithoutPhoneNumberIdTokenOrSecretAreRefusedByName() {
    assertThatThrownBy(() -> channel.validateSettings(Map.of(
        WhatsAppChannel.ACCESS_TOKEN, "t", WhatsAppChannel.APP_SECRET, "s")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("phone_number_id");
    assertThatThrownBy(() -> channel.validateSettings(Map.of(
        WhatsAppChannel.PHONE_NUMBER_ID, "+1 555 0100", WhatsAppChannel.ACCESS_TOKEN, "t",
        WhatsAppChannel.APP_SECRET, "s")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("phone_number_id");
    assertThatThrownBy(() -> channel.validateSettings(Map.of(
        WhatsAppChannel.PHONE_NUMBER_ID, PHONE_NUMBER_ID, WhatsAppChannel.APP_SECRET, "s")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("access_token");
    assertThatThrownBy(() -> channel.validateSettings(Map.of(
        WhatsAppChannel.PHONE_NUMBER_ID, PHONE_NUMBER_ID, WhatsAppChannel.ACCESS_TOKEN, "t")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("app_secret");
    assertThat(channel.routingKey(inbox.settings())).isEqualTo(PHONE_NUMBER_ID);
  }

  @Test
  void theConfigurationChecksItsValuesAndNeverPrintsTheVerifyToken() {
    WhatsAppConfig config = WhatsAppConfig.defaults().withVerifyToken("top-secret-token")
        .withGraphBaseUrl("http://127.0.0.1:9999/").withApiVersion("v21.0");
    assertThat(config.graphBaseUrl()).isEqualTo("http://127.0.0.1:9999");
    assertThat(config.toString()).doesNotContain("top-secret-token");
    assertThatThrownBy(() -> config.withApiVersion("21")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.withGraphBaseUrl("graph")).isInstanceOf(IllegalArgumentException.class);
  }
}
