package io.switchboard.channel.whatsapp;

import static io.switchboard.channel.whatsapp.Payloads.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.event.EventType;
import io.switchboard.jdbi.Fixture;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender against a local Graph API: the request bodies of text, media, interactive and
 * template sends, the wamid as source id, retries, the 24-hour window and failures.
 */
abstract class WhatsAppSenderContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WAMID = "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";

  MockWebServer graph;
  Payloads.MutableClock clock;
  Fixture f;
  Account account;
  User anna;
  Inbox inbox;
  Message incoming;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws Exception {
    graph = new MockWebServer();
    graph.start();
    clock = new Payloads.MutableClock();
    WhatsAppConfig config = WhatsAppConfig.defaults().withGraphBaseUrl(graph.url("/").toString());
    f = new Fixture(newStore(), b -> b.channel(WhatsAppChannel.create(config)).clock(clock)
        .workerThreads(1));
    account = f.account("Acme");
    anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT,
        "correct horse battery".toCharArray());
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("WhatsApp", ChannelType.WHATSAPP,
        Map.of(WhatsAppChannel.PHONE_NUMBER_ID, PHONE_NUMBER_ID,
            WhatsAppChannel.ACCESS_TOKEN, Payloads.ACCESS_TOKEN,
            WhatsAppChannel.APP_SECRET, Payloads.APP_SECRET)));
    incoming = f.sb.incoming().receive(account.id(), inbox.id(), InboundMessage.text(
        "wamid.IN-1", InboundContact.of("16505551234", "Sheena Nelson"), "Where is my order?"));
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    graph.shutdown();
  }

  private static MockResponse json(int status, String graphFile) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
        .setBody(Payloads.readResource("/graph/" + graphFile));
  }

  private Message reply(MessageDraft draft) {
    return f.sb.messages().reply(account.id(), incoming.conversationId(), draft, Actor.user(anna));
  }

  private RecordedRequest next() throws InterruptedException {
    RecordedRequest r = graph.takeRequest(10, TimeUnit.SECONDS);
    assertThat(r).as("a request to the Graph API").isNotNull();
    return r;
  }

  private static JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().readUtf8());
  }

  private static JsonNode expected(String json) throws Exception {
    return JSON.readTree(json.replace('\'', '"'));
  }

  private Message awaitSourceId(Message m) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(f.sb.messages().get(account.id(), m.id()).sourceId()).isNotNull());
    return f.sb.messages().get(account.id(), m.id());
  }

  private Message awaitFailed(Message m) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(f.sb.messages().get(account.id(), m.id()).status())
            .isEqualTo(MessageStatus.FAILED));
    return f.sb.messages().get(account.id(), m.id());
  }

  @Test
  void aTextReplyCarriesTheRepliedToWamidAndItsWamidBecomesTheSourceId() throws Exception {
    graph.enqueue(json(200, "send_ok.json"));
    Message sent = reply(MessageDraft.builder().content("It ships today.")
        .inReplyTo(incoming.id()).build());

    RecordedRequest r = next();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getPath()).isEqualTo("/v23.0/" + PHONE_NUMBER_ID + "/messages");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + Payloads.ACCESS_TOKEN);
    assertThat(body(r)).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'text',"
        + "'text':{'body':'It ships today.','preview_url':false},"
        + "'context':{'message_id':'wamid.IN-1'}}"));
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo(WAMID);
  }

  @Test
  void mediaByLinkIsSentWithItsCaptionAndADocumentWithItsFilename() throws Exception {
    graph.enqueue(json(200, "send_ok.json"));
    graph.enqueue(json(200, "send_ok.json"));
    reply(MessageDraft.builder().content("Your invoice").attachment(Attachment.of(
        AttachmentType.FILE, "https://cdn.acme.test/invoice-1234.pdf", "invoice-1234.pdf",
        "application/pdf")).build());
    reply(MessageDraft.builder().attachment(Attachment.of(AttachmentType.AUDIO,
        "https://cdn.acme.test/hello.ogg", "hello.ogg", "audio/ogg")).build());

    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'document',"
        + "'document':{'link':'https://cdn.acme.test/invoice-1234.pdf',"
        + "'caption':'Your invoice','filename':'invoice-1234.pdf'}}"));
    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'audio',"
        + "'audio':{'link':'https://cdn.acme.test/hello.ogg'}}"));
  }

  @Test
  void aStoredFileIsUploadedAndSentByItsMediaId() throws Exception {
    byte[] photo = "jpeg-bytes".getBytes(StandardCharsets.UTF_8);
    String key = f.sb.channelContext().blobs().put(account.id(), "photo.jpg",
        new ByteArrayInputStream(photo));
    graph.enqueue(json(200, "media_upload.json"));
    graph.enqueue(json(200, "send_ok.json"));
    Message sent = reply(MessageDraft.builder().content("Here it is").attachment(new Attachment(
        0, 0, 0, AttachmentType.IMAGE, null, key, "photo.jpg", "image/jpeg", (long) photo.length,
        null, null, Map.of())).build());

    RecordedRequest upload = next();
    assertThat(upload.getPath()).isEqualTo("/v23.0/" + PHONE_NUMBER_ID + "/media");
    assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data");
    String multipart = upload.getBody().readUtf8();
    assertThat(multipart).contains("name=\"messaging_product\"").contains("whatsapp")
        .contains("name=\"file\"; filename=\"photo.jpg\"").contains("jpeg-bytes");
    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'image',"
        + "'image':{'id':'1037543291543636','caption':'Here it is'}}"));
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo(WAMID);
  }

  @Test
  void threeItemsBecomeReplyButtonsAndMoreBecomeAList() throws Exception {
    graph.enqueue(json(200, "send_ok.json"));
    graph.enqueue(json(200, "send_ok.json"));
    reply(MessageDraft.builder().content("Ship now?").contentType(ContentType.INPUT_SELECT)
        .contentAttribute("items", List.of(Map.of("title", "Yes", "value", "yes"),
            Map.of("title", "No", "value", "no"))).build());
    reply(MessageDraft.builder().content("Pick a size").contentType(ContentType.INPUT_SELECT)
        .contentAttribute("items", List.of(Map.of("title", "S", "value", "s"),
            Map.of("title", "M", "value", "m"), Map.of("title", "L", "value", "l"),
            Map.of("title", "XL", "value", "xl"))).build());

    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'interactive',"
        + "'interactive':{'type':'button','body':{'text':'Ship now?'},'action':{'buttons':["
        + "{'type':'reply','reply':{'id':'yes','title':'Yes'}},"
        + "{'type':'reply','reply':{'id':'no','title':'No'}}]}}}"));
    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'interactive',"
        + "'interactive':{'type':'list','body':{'text':'Pick a size'},'action':{"
        + "'button':'Choose','sections':[{'rows':["
        + "{'id':'s','title':'S'},{'id':'m','title':'M'},{'id':'l','title':'L'},"
        + "{'id':'xl','title':'XL'}]}]}}}"));
  }

  private MessageDraft template() {
    return MessageDraft.builder().content("Your order #1234 has shipped")
        .contentAttribute("template", Map.of("name", "order_shipped", "language", "en_US",
            "header", List.of("#1234"),
            "body", List.of("Sheena", "#1234"),
            "buttons", List.of(Map.of("sub_type", "quick_reply", "index", 0,
                "payload", "TRACK_1234"))))
        .build();
  }

  @Test
  void aTemplateIsSentWithItsNameLanguageAndParameters() throws Exception {
    graph.enqueue(json(200, "send_ok.json"));
    Message sent = reply(template());

    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'template',"
        + "'template':{'name':'order_shipped','language':{'code':'en_US'},'components':["
        + "{'type':'header','parameters':[{'type':'text','text':'#1234'}]},"
        + "{'type':'body','parameters':[{'type':'text','text':'Sheena'},"
        + "{'type':'text','text':'#1234'}]},"
        + "{'type':'button','sub_type':'quick_reply','index':'0','parameters':["
        + "{'type':'payload','payload':'TRACK_1234'}]}]}}"));
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo(WAMID);
  }

  @Test
  void a429IsRetriedAfterItsRetryAfterAndThenSucceeds() throws Exception {
    graph.enqueue(json(429, "error_rate_limit.json").setHeader("Retry-After", "1"));
    graph.enqueue(json(200, "send_ok.json"));
    Message sent = reply(MessageDraft.text("Thanks for waiting"));

    RecordedRequest first = next();
    RecordedRequest second = next();
    assertThat(body(second)).isEqualTo(body(first));
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo(WAMID);
    assertThat(f.sb.messages().get(account.id(), sent.id()).status()).isEqualTo(MessageStatus.SENT);
  }

  @Test
  void aServerErrorIsRetriedAndThenSucceeds() throws Exception {
    graph.enqueue(new MockResponse().setResponseCode(503).setBody("unavailable"));
    graph.enqueue(json(200, "send_ok.json"));
    Message sent = reply(MessageDraft.text("Still here"));

    next();
    next();
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo(WAMID);
  }

  @Test
  void outsideTheTwentyFourHourWindowFreeFormFailsAndATemplateGoesThrough() throws Exception {
    clock.advance(Duration.ofHours(25));
    Message freeForm = reply(MessageDraft.text("Are you still there?"));
    Message failed = awaitFailed(freeForm);
    assertThat(failed.externalError()).startsWith(WhatsAppSender.OUTSIDE_WINDOW + ": ")
        .contains("24-hour customer service window").contains("template");

    graph.enqueue(json(200, "send_ok.json"));
    Message viaTemplate = reply(template());
    assertThat(body(next()).path("type").asText()).isEqualTo("template");
    assertThat(awaitSourceId(viaTemplate).sourceId()).isEqualTo(WAMID);
    assertThat(graph.getRequestCount()).as("the free-form message never reached Meta").isEqualTo(1);
  }

  @Test
  void withinTheWindowAfterTheContactWritesAgainFreeFormIsSent() throws Exception {
    clock.advance(Duration.ofHours(30));
    f.sb.incoming().receive(account.id(), inbox.id(), InboundMessage.text("wamid.IN-2",
        InboundContact.of("16505551234", "Sheena Nelson"), "Hello again"));
    clock.advance(Duration.ofHours(23));
    graph.enqueue(json(200, "send_ok.json"));
    Message sent = reply(MessageDraft.text("Welcome back"));
    assertThat(body(next()).path("text").path("body").asText()).isEqualTo("Welcome back");
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo(WAMID);
  }

  @Test
  void anInvalidTokenFailsTheMessageAndMarksTheInboxForReauthorization() throws Exception {
    graph.enqueue(json(401, "error_190.json"));
    Message failed = awaitFailed(reply(MessageDraft.text("Hello")));

    assertThat(failed.externalError()).startsWith("190: Error validating access token");
    assertThat(f.sb.admin().inbox(account.id(), inbox.id()).reauthorizationRequired()).isTrue();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(f.syncEvents(EventType.INBOX_UPDATED)).isNotEmpty());
    assertThat(graph.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anotherClientErrorFailsTheMessageWithMetasCodeAndMessage() throws Exception {
    graph.enqueue(json(400, "error_131009.json"));
    Message failed = awaitFailed(reply(MessageDraft.text("Hello")));

    assertThat(failed.externalError()).isEqualTo("131009: (#131009) Parameter value is not valid "
        + "(Button title length invalid. Min length: 1, Max length: 20)");
    assertThat(f.sb.admin().inbox(account.id(), inbox.id()).reauthorizationRequired()).isFalse();
    assertThat(graph.getRequestCount()).isEqualTo(1);
  }

  private static MockResponse sentAs(String wamid) {
    return new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":"
            + "\"16505551234\",\"wa_id\":\"16505551234\"}],\"messages\":[{\"id\":\""
            + wamid + "\"}]}");
  }

  private MessageDraft textAndAudio() {
    return MessageDraft.builder().content("Listen to this").attachment(Attachment.of(
        AttachmentType.AUDIO, "https://cdn.acme.test/hello.ogg", "hello.ogg", "audio/ogg"))
        .build();
  }

  @Test
  void aRetryAfterTheFirstPartWentOutSendsOnlyTheRemainingPart() throws Exception {
    graph.enqueue(sentAs("wamid.PART-TEXT"));
    graph.enqueue(json(429, "error_rate_limit.json"));
    graph.enqueue(sentAs("wamid.PART-AUDIO"));
    Message sent = reply(textAndAudio());

    List<JsonNode> bodies = List.of(body(next()), body(next()), body(next()));
    assertThat(bodies).extracting(b -> b.path("type").asText())
        .containsExactly("text", "audio", "audio");
    assertThat(awaitSourceId(sent).sourceId()).isEqualTo("wamid.PART-TEXT");
    Message stored = f.sb.messages().get(account.id(), sent.id());
    assertThat(stored.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS))
        .isEqualTo(List.of("wamid.PART-TEXT", "wamid.PART-AUDIO"));
    assertThat(graph.takeRequest(300, TimeUnit.MILLISECONDS)).as("no fourth request").isNull();
    assertThat(graph.getRequestCount()).isEqualTo(3);

    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("wamid.PART-AUDIO", MessageStatus.DELIVERED, null));
    assertThat(f.sb.messages().get(account.id(), sent.id()).status())
        .as("a status for a later part reaches the message")
        .isEqualTo(MessageStatus.DELIVERED);
  }

  @Test
  void aPermanentFailureOfALaterPartFailsTheMessageAndSaysWhatWentOut() throws Exception {
    graph.enqueue(sentAs("wamid.PART-TEXT"));
    graph.enqueue(json(400, "error_131009.json"));
    Message failed = awaitFailed(reply(textAndAudio()));

    assertThat(failed.externalError()).startsWith("131009: (#131009) Parameter value is not valid")
        .contains("1 part was sent before the failure");
    assertThat(failed.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS))
        .isEqualTo(List.of("wamid.PART-TEXT"));
    assertThat(graph.getRequestCount()).isEqualTo(2);

    // the part that went out is still the customer's message: its statuses find it
    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("wamid.PART-TEXT", MessageStatus.READ, null));
    assertThat(f.sb.messages().get(account.id(), failed.id()).status())
        .isEqualTo(MessageStatus.READ);
  }

  @Test
  void aVideoCarriesTheTextAsCaptionAndAStickerGoesAfterATextMessage() throws Exception {
    graph.enqueue(json(200, "send_ok.json"));
    graph.enqueue(sentAs("wamid.TEXT"));
    graph.enqueue(sentAs("wamid.STICKER"));
    reply(MessageDraft.builder().content("How to pair it").attachment(Attachment.of(
        AttachmentType.VIDEO, "https://cdn.acme.test/pairing.mp4", "pairing.mp4", "video/mp4"))
        .build());
    Message sticker = reply(MessageDraft.builder().content("Thanks!").attachment(Attachment.of(
        AttachmentType.STICKER, "https://cdn.acme.test/thanks.webp", "thanks.webp",
        "image/webp")).build());

    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'video',"
        + "'video':{'link':'https://cdn.acme.test/pairing.mp4','caption':'How to pair it'}}"));
    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'text',"
        + "'text':{'body':'Thanks!','preview_url':false}}"));
    assertThat(body(next())).as("a sticker takes no caption").isEqualTo(expected(
        "{'messaging_product':'whatsapp','recipient_type':'individual','to':'16505551234',"
        + "'type':'sticker','sticker':{'link':'https://cdn.acme.test/thanks.webp'}}"));
    assertThat(awaitSourceId(sticker).sourceId()).isEqualTo("wamid.TEXT");
  }

  /** Paragraphs of about 600 characters, {@code count} of them. */
  private static String prose(int count) {
    String paragraph = "Your replacement unit ships from the Leeds warehouse on Monday. ".repeat(9)
        .strip();
    return String.join("\n\n", java.util.Collections.nCopies(count, paragraph));
  }

  private static String textBody(String body) {
    return "{'messaging_product':'whatsapp','recipient_type':'individual','to':'16505551234',"
        + "'type':'text','text':{'body':'" + body + "','preview_url':false}}";
  }

  @Test
  void aTextOfAtMost1024CharactersIsTheCaptionAndALongerOneGoesBeforeTheImage()
      throws Exception {
    String fits = "a".repeat(1024);
    String tooLong = "b".repeat(1025);
    graph.enqueue(sentAs("wamid.CAPTIONED"));
    graph.enqueue(sentAs("wamid.TEXT"));
    graph.enqueue(sentAs("wamid.IMAGE"));
    Attachment photo = Attachment.of(AttachmentType.IMAGE, "https://cdn.acme.test/label.jpg",
        "label.jpg", "image/jpeg");
    reply(MessageDraft.builder().content(fits).attachment(photo).build());
    Message separate = reply(MessageDraft.builder().content(tooLong).attachment(photo).build());

    assertThat(body(next())).isEqualTo(expected("{'messaging_product':'whatsapp',"
        + "'recipient_type':'individual','to':'16505551234','type':'image',"
        + "'image':{'link':'https://cdn.acme.test/label.jpg','caption':'" + fits + "'}}"));
    assertThat(body(next())).isEqualTo(expected(textBody(tooLong)));
    assertThat(body(next())).as("the image goes without a caption").isEqualTo(expected(
        "{'messaging_product':'whatsapp','recipient_type':'individual','to':'16505551234',"
        + "'type':'image','image':{'link':'https://cdn.acme.test/label.jpg'}}"));
    Message stored = awaitSourceId(separate);
    assertThat(stored.sourceId()).isEqualTo("wamid.TEXT");
    assertThat(stored.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS))
        .isEqualTo(List.of("wamid.TEXT", "wamid.IMAGE"));
  }

  @Test
  void aTextOver4096CharactersGoesAsSeveralMessagesCutBetweenParagraphs() throws Exception {
    String text = prose(17); // 9,807 characters: three parts
    graph.enqueue(sentAs("wamid.PART-1"));
    graph.enqueue(json(429, "error_rate_limit.json"));
    graph.enqueue(sentAs("wamid.PART-2"));
    graph.enqueue(sentAs("wamid.PART-3"));
    graph.enqueue(sentAs("wamid.PDF"));
    Message sent = reply(MessageDraft.builder().content(text).inReplyTo(incoming.id())
        .attachment(Attachment.of(AttachmentType.FILE, "https://cdn.acme.test/invoice.pdf",
            "invoice.pdf", "application/pdf")).build());

    List<JsonNode> bodies = List.of(body(next()), body(next()), body(next()), body(next()),
        body(next()));
    assertThat(bodies).extracting(b -> b.path("type").asText())
        .containsExactly("text", "text", "text", "text", "document");
    assertThat(bodies.get(2)).as("the retry sends the part that failed").isEqualTo(bodies.get(1));
    List<String> parts = List.of(bodies.get(0), bodies.get(2), bodies.get(3)).stream()
        .map(b -> b.path("text").path("body").asText()).toList();
    assertThat(parts).allSatisfy(part -> assertThat(part).hasSizeLessThanOrEqualTo(4096)
        .doesNotStartWith("\n").doesNotEndWith(" "));
    assertThat(parts.get(0) + "\n\n" + parts.get(1) + "\n\n" + parts.get(2))
        .as("each cut is at a paragraph break").isEqualTo(text);
    assertThat(bodies.get(0).path("context").path("message_id").asText())
        .isEqualTo("wamid.IN-1");
    assertThat(bodies.get(3).has("context")).as("only the first part is a reply").isFalse();
    assertThat(bodies.get(4)).as("the document goes without a caption").isEqualTo(expected(
        "{'messaging_product':'whatsapp','recipient_type':'individual','to':'16505551234',"
        + "'type':'document','document':{'link':'https://cdn.acme.test/invoice.pdf',"
        + "'filename':'invoice.pdf'}}"));

    Message stored = awaitSourceId(sent);
    assertThat(stored.sourceId()).isEqualTo("wamid.PART-1");
    assertThat(stored.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS))
        .isEqualTo(List.of("wamid.PART-1", "wamid.PART-2", "wamid.PART-3", "wamid.PDF"));
    assertThat(graph.takeRequest(300, TimeUnit.MILLISECONDS)).as("no sixth request").isNull();
  }
}
