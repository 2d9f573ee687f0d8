package io.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.event.EventType;
import io.switchboard.jdbi.Fixture;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.channel.OutboundMessage;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContactInbox;
import io.switchboard.model.ContentType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.store.JobRecord;
import io.switchboard.store.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.MultipartReader;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent replies through the Telegram sender against a local Bot API. */
abstract class TelegramSenderContract {
  static final ObjectMapper JSON = new ObjectMapper();

  MockWebServer telegram;
  TelegramChannel channel;
  Store store;
  Fixture f;
  Account account;
  Inbox inbox;
  User anna;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws IOException {
    telegram = new MockWebServer();
    telegram.start();
    channel = TelegramChannel.create(
        TelegramConfig.defaults().withBaseUrl(telegram.url("/").toString()));
    store = newStore();
    f = new Fixture(store, b -> b.channel(channel));
    account = f.account("Acme");
    anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT,
        "correct horse battery".toCharArray());
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("Acme bot", ChannelType.TELEGRAM,
        Map.of(TelegramChannel.BOT_TOKEN, Updates.BOT_TOKEN,
            TelegramChannel.SECRET_TOKEN, Updates.SECRET)));
  }

  @AfterEach
  void tearDown() throws IOException {
    f.close();
    telegram.shutdown();
  }

  Message incoming(String update, String sourceId) {
    assertThat(f.sb.incoming().handleWebhook(ChannelType.TELEGRAM, Updates.webhook(update))
        .status()).isEqualTo(200);
    return f.syncEvents(EventType.MESSAGE_CREATED).stream().map(e -> e.message())
        .filter(m -> sourceId.equals(m.sourceId())).findFirst().orElseThrow();
  }

  /** Anna's reply in the customer's conversation with these files (and text, when given). */
  Message replyWith(Message customer, String content, Attachment... files) {
    MessageDraft.Builder draft = MessageDraft.builder();
    if (content != null) {
      draft.content(content);
    }
    for (Attachment file : files) {
      draft.attachment(file);
    }
    return f.sb.messages().reply(account.id(), customer.conversationId(), draft.build(),
        Actor.user(anna));
  }

  static MockResponse sent(long messageId) {
    return new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":true,\"result\":{\"message_id\":" + messageId
            + ",\"chat\":{\"id\":111,\"type\":\"private\"},\"date\":1764000300}}");
  }

  static MockResponse error(int code, String description) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":false,\"error_code\":" + code + ",\"description\":\"" + description
            + "\"}");
  }

  RecordedRequest next() throws InterruptedException {
    RecordedRequest request = telegram.takeRequest(20, TimeUnit.SECONDS);
    assertThat(request).as("a request to the Bot API").isNotNull();
    return request;
  }

  static JsonNode body(RecordedRequest request) throws IOException {
    return JSON.readTree(request.getBody().readUtf8());
  }

  /** The parts of a multipart/form-data request by name, as text. */
  static Map<String, String> formParts(RecordedRequest request) throws IOException {
    String type = request.getHeader("Content-Type");
    assertThat(type).startsWith("multipart/form-data");
    Map<String, String> parts = new java.util.LinkedHashMap<>();
    try (MultipartReader reader = new MultipartReader(request.getBody(),
        type.substring(type.indexOf("boundary=") + "boundary=".length()))) {
      for (MultipartReader.Part part = reader.nextPart(); part != null;
          part = reader.nextPart()) {
        String disposition = part.headers().get("Content-Disposition");
        String name = disposition.replaceAll("^form-data; name=\"([^\"]+)\".*", "$1");
        parts.put(name, part.body().readUtf8());
      }
    }
    return parts;
  }

  static String method(RecordedRequest request) {
    return request.getPath().substring(request.getPath().lastIndexOf('/') + 1);
  }

  Message awaitSourceId(Message reply, String sourceId) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.sb.messages().get(account.id(), reply.id()).sourceId()).isEqualTo(sourceId));
    return f.sb.messages().get(account.id(), reply.id());
  }

  Message awaitFailed(Message reply) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.sb.messages().get(account.id(), reply.id()).status())
            .isEqualTo(MessageStatus.FAILED));
    return f.sb.messages().get(account.id(), reply.id());
  }

  @Test
  void aReplyIsSentAsEscapedHtmlWithReplyParametersAndItsIdBecomesTheSourceId()
      throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(sent(77));

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.builder()
            .content("**Hi** <b>Dana</b> & _welcome_, see [the docs](https://acme.test/a?b=1&c=2)"
                + " or run `x<y`")
            .inReplyTo(customer.id()).build(), Actor.user(anna));

    RecordedRequest request = next();
    assertThat(request.getPath()).isEqualTo("/bot" + Updates.BOT_TOKEN + "/sendMessage");
    JsonNode body = body(request);
    assertThat(body.path("chat_id").asText()).isEqualTo("111");
    assertThat(body.path("parse_mode").asText()).isEqualTo("HTML");
    assertThat(body.path("text").asText()).isEqualTo("<b>Hi</b> &lt;b&gt;Dana&lt;/b&gt; &amp; "
        + "<i>welcome</i>, see <a href=\"https://acme.test/a?b=1&amp;c=2\">the docs</a>"
        + " or run <code>x&lt;y</code>");
    assertThat(body.path("reply_parameters").path("message_id").asLong()).isEqualTo(1);
    assertThat(awaitSourceId(reply, "111:77").status()).isEqualTo(MessageStatus.SENT);
  }

  @Test
  void aTextOver4096CharactersIsSplitIntoSeveralMessages() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(sent(80));
    telegram.enqueue(sent(81));
    String word = "support ";
    String text = word.repeat(700).strip(); // 5,599 characters

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text(text), Actor.user(anna));

    String first = body(next()).path("text").asText();
    String second = body(next()).path("text").asText();
    assertThat(first.length()).isLessThanOrEqualTo(4096);
    assertThat(second.length()).isLessThanOrEqualTo(4096);
    assertThat(first + " " + second).isEqualTo(text);
    assertThat(awaitSourceId(reply, "111:80")).isNotNull();
  }

  @Test
  void anInputSelectCarriesAnInlineKeyboard() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(sent(90));

    f.sb.messages().reply(account.id(), customer.conversationId(), MessageDraft.builder()
        .content("How was your experience?").contentType(ContentType.INPUT_SELECT)
        .contentAttribute("items", List.of(Map.of("title", "Great", "value", "csat:5"),
            Map.of("title", "Bad", "value", "csat:1")))
        .build(), Actor.user(anna));

    JsonNode keyboard = body(next()).path("reply_markup").path("inline_keyboard");
    assertThat(keyboard.size()).isEqualTo(2);
    assertThat(keyboard.get(0).get(0).path("text").asText()).isEqualTo("Great");
    assertThat(keyboard.get(0).get(0).path("callback_data").asText()).isEqualTo("csat:5");
    assertThat(keyboard.get(1).get(0).path("callback_data").asText()).isEqualTo("csat:1");
  }

  @Test
  void severalImagesGoAsOneMediaGroupWithTheTextAsCaption() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":true,\"result\":[{\"message_id\":100},{\"message_id\":101}]}"));

    Message reply = replyWith(customer, "Both _sides_",
        Attachment.of(AttachmentType.IMAGE, "https://cdn.acme.test/front.jpg", "front.jpg",
            "image/jpeg"),
        Attachment.of(AttachmentType.IMAGE, "https://cdn.acme.test/back.jpg", "back.jpg",
            "image/jpeg"));

    RecordedRequest request = next();
    assertThat(method(request)).isEqualTo("sendMediaGroup");
    JsonNode media = body(request).path("media");
    assertThat(media.size()).isEqualTo(2);
    assertThat(media.get(0).path("type").asText()).isEqualTo("photo");
    assertThat(media.get(0).path("media").asText()).isEqualTo("https://cdn.acme.test/front.jpg");
    assertThat(media.get(0).path("caption").asText()).isEqualTo("Both <i>sides</i>");
    assertThat(media.get(1).path("media").asText()).isEqualTo("https://cdn.acme.test/back.jpg");
    assertThat(awaitSourceId(reply, "111:100")).isNotNull();
    assertThat(telegram.getRequestCount()).isEqualTo(1);
  }

  static Attachment[] photos(int count) {
    Attachment[] photos = new Attachment[count];
    for (int i = 0; i < count; i++) {
      photos[i] = Attachment.of(AttachmentType.IMAGE, "https://cdn.acme.test/photo-" + i + ".jpg",
          "photo-" + i + ".jpg", "image/jpeg");
    }
    return photos;
  }

  /** The answer to a media group: one message per item, ids from {@code firstId} on. */
  static MockResponse sentGroup(long firstId, int items) {
    StringBuilder result = new StringBuilder();
    for (int i = 0; i < items; i++) {
      result.append(i == 0 ? "" : ",").append("{\"message_id\":").append(firstId + i)
          .append(",\"chat\":{\"id\":111,\"type\":\"private\"},\"date\":1764000300}");
    }
    return new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":true,\"result\":[" + result + "]}");
  }

  /**
   * Sends {@code count} photos with a caption and checks that they went as media groups of
   * {@code sizes}, in order, with the caption on the first photo only.
   */
  void photosGoAsBalancedMediaGroups(int count, int... sizes) throws Exception {
    Message customer = incoming("text", "111:1");
    long firstId = 200;
    for (int size : sizes) {
      telegram.enqueue(sentGroup(firstId, size));
      firstId += size;
    }

    Message reply = replyWith(customer, "All the _photos_", photos(count));

    int photo = 0;
    List<String> parts = new ArrayList<>();
    long groupId = 200;
    for (int size : sizes) {
      RecordedRequest request = next();
      assertThat(method(request)).isEqualTo("sendMediaGroup");
      JsonNode media = body(request).path("media");
      assertThat(media).hasSize(size);
      for (JsonNode item : media) {
        assertThat(item.path("type").asText()).isEqualTo("photo");
        assertThat(item.path("media").asText())
            .isEqualTo("https://cdn.acme.test/photo-" + photo + ".jpg");
        if (photo == 0) {
          assertThat(item.path("caption").asText()).isEqualTo("All the <i>photos</i>");
        } else {
          assertThat(item.has("caption")).as("only the first photo has the caption").isFalse();
        }
        photo++;
      }
      parts.add("111:" + groupId);
      groupId += size;
    }
    Message stored = awaitSourceId(reply, "111:200");
    assertThat(stored.status()).isEqualTo(MessageStatus.SENT);
    assertThat(stored.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS)).isEqualTo(parts);
    assertThat(telegram.takeRequest(300, TimeUnit.MILLISECONDS)).as("no other request").isNull();
    assertThat(telegram.getRequestCount()).isEqualTo(sizes.length);
  }

  @Test
  void elevenImagesGoAsTwoMediaGroupsOfSixAndFive() throws Exception {
    photosGoAsBalancedMediaGroups(11, 6, 5);
  }

  @Test
  void fifteenImagesGoAsTwoMediaGroupsOfEightAndSeven() throws Exception {
    photosGoAsBalancedMediaGroups(15, 8, 7);
  }

  @Test
  void videoAndVoiceGoByUrlAndADocumentFromTheBlobStoreIsUploaded() throws Exception {
    Message customer = incoming("text", "111:1");
    String key = f.sb.channelContext().blobs().put(account.id(), "terms.pdf",
        new ByteArrayInputStream("%PDF-terms".getBytes(StandardCharsets.UTF_8)));
    Attachment document = new Attachment(0, 0, 0, AttachmentType.FILE, null, key, "terms.pdf",
        "application/pdf", 10L, null, null, Map.of());
    telegram.enqueue(sent(110));
    telegram.enqueue(sent(111));
    telegram.enqueue(sent(112));

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.builder()
            .attachment(Attachment.of(AttachmentType.VIDEO, "https://cdn.acme.test/how.mp4",
                "how.mp4", "video/mp4"))
            .attachment(Attachment.of(AttachmentType.AUDIO, "https://cdn.acme.test/hi.ogg",
                "hi.ogg", "audio/ogg"))
            .attachment(document).build(), Actor.user(anna));

    List<RecordedRequest> requests = new ArrayList<>(List.of(next(), next(), next()));
    assertThat(requests).extracting(TelegramSenderContract::method)
        .containsExactly("sendVideo", "sendVoice", "sendDocument");
    assertThat(body(requests.get(0)).path("video").asText())
        .isEqualTo("https://cdn.acme.test/how.mp4");
    assertThat(body(requests.get(1)).path("voice").asText())
        .isEqualTo("https://cdn.acme.test/hi.ogg");
    RecordedRequest upload = requests.get(2);
    assertThat(upload.getHeader("Content-Type")).startsWith("multipart/form-data");
    String form = upload.getBody().readUtf8();
    assertThat(form).contains("name=\"chat_id\"").contains("111")
        .contains("name=\"document\"; filename=\"terms.pdf\"").contains("%PDF-terms");
    assertThat(awaitSourceId(reply, "111:110")).isNotNull();
  }

  static MockResponse tooManyRequests(int retryAfter) {
    return new MockResponse().setResponseCode(429).setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry "
            + "after " + retryAfter + "\",\"parameters\":{\"retry_after\":" + retryAfter + "}}");
  }

  @Test
  void aTooManyRequestsAnswerIsRetriedNoSoonerThanTelegramsDelay() throws Exception {
    Message customer = incoming("text", "111:1");
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    telegram.setDispatcher(new QueueDispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        arrivals.add(System.nanoTime());
        return super.dispatch(request);
      }
    });
    telegram.enqueue(tooManyRequests(1));
    telegram.enqueue(sent(120));

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text("Thanks for waiting"), Actor.user(anna));

    assertThat(method(next())).isEqualTo("sendMessage");
    assertThat(method(next())).isEqualTo("sendMessage");
    assertThat(awaitSourceId(reply, "111:120").status()).isEqualTo(MessageStatus.SENT);
    // the fixture's own backoff is 50 ms: only retry_after explains a gap of a second
    assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
        .as("the retry waits for retry_after (1 s)").isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void aSplitTextInterruptedByTooManyRequestsSendsItsFirstPartOnce() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(sent(80));
    telegram.enqueue(tooManyRequests(1));
    telegram.enqueue(sent(81));
    String text = "support ".repeat(700).strip(); // 5,599 characters: two parts

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text(text), Actor.user(anna));

    String first = body(next()).path("text").asText();
    String second = body(next()).path("text").asText();
    String retried = body(next()).path("text").asText();
    assertThat(retried).isEqualTo(second).isNotEqualTo(first);
    assertThat(first + " " + second).isEqualTo(text);
    Message stored = awaitSourceId(reply, "111:80");
    assertThat(stored.contentAttributes().get(OutboundMessage.PART_SOURCE_IDS))
        .isEqualTo(List.of("111:80", "111:81"));
    assertThat(telegram.takeRequest(300, TimeUnit.MILLISECONDS)).as("no fourth request").isNull();
    assertThat(telegram.getRequestCount()).isEqualTo(3);
  }

  ContactInbox contactInbox(Message customer) {
    long contactId = f.sb.conversations().get(account.id(), customer.conversationId())
        .contactId();
    return f.sb.contacts().contactInboxes(account.id(), contactId).stream()
        .filter(ci -> ci.inboxId() == inbox.id()).findFirst().orElseThrow();
  }

  @Test
  void aBotBlockedByTheUserFailsTheMessageAndMarksTheContactInbox() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(error(403, "Forbidden: bot was blocked by the user"));

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text("Are you there?"), Actor.user(anna));

    Message failed = awaitFailed(reply);
    assertThat((String) failed.contentAttributes().get("external_error"))
        .contains("blocked the bot").contains("Forbidden: bot was blocked by the user");
    assertThat(contactInbox(customer).blockedAt()).isNotNull();
    assertThat(f.syncEvents(EventType.CONTACT_UPDATED)).anySatisfy(e ->
        assertThat(e.changedAttributes()).containsKey("blocked_at"));
    assertThat(telegram.getRequestCount()).isEqualTo(1);

    // the user unblocks the bot and writes again
    incoming("text_again", "111:2");
    assertThat(contactInbox(customer).blockedAt()).isNull();
    assertThat(f.syncEvents(EventType.CONTACT_UPDATED)).filteredOn(e ->
        e.changedAttributes().containsKey("blocked_at")).hasSize(2);
  }

  @Test
  void anotherErrorFailsTheMessageWithTelegramsDescription() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(error(400, "Bad Request: chat not found"));

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text("Hello?"), Actor.user(anna));

    assertThat(awaitFailed(reply).contentAttributes())
        .containsEntry("external_error", "400: Bad Request: chat not found");
  }

  @Test
  void aRevokedTokenFailsTheMessageAndFlagsTheInboxForReauthorization() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(error(401, "Unauthorized"));

    Message reply = f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text("Hello?"), Actor.user(anna));

    assertThat((String) awaitFailed(reply).contentAttributes().get("external_error"))
        .contains("Telegram refused the bot token: Unauthorized");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.admin().inbox(account.id(), inbox.id()).reauthorizationRequired()).isTrue());
  }

  @Test
  void repliesInABusinessChatCarryTheBusinessConnection() throws Exception {
    Message customer = incoming("business_message_in", "222:301");
    telegram.enqueue(sent(140));

    f.sb.messages().reply(account.id(), customer.conversationId(),
        MessageDraft.text("Yes, until 16:00"), Actor.user(anna));

    JsonNode body = body(next());
    assertThat(body.path("chat_id").asText()).isEqualTo("222");
    assertThat(body.path("business_connection_id").asText()).isEqualTo("AbCdEfGhBusiness01");
  }

  @Test
  void theWebhookIsRegisteredWithItsSecretTokenAndAllowedUpdates() throws Exception {
    telegram.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":true,\"result\":true,\"description\":\"Webhook was set\"}"));

    channel.setWebhook(inbox, "https://host.acme.test/webhooks/telegram/"
        + TelegramChannel.botId(inbox));

    RecordedRequest request = next();
    assertThat(method(request)).isEqualTo("setWebhook");
    JsonNode body = body(request);
    assertThat(body.path("url").asText())
        .isEqualTo("https://host.acme.test/webhooks/telegram/123456789");
    assertThat(body.path("secret_token").asText()).isEqualTo(Updates.SECRET);
    assertThat(body.path("allowed_updates").toString()).contains("\"message\"")
        .contains("\"callback_query\"").contains("\"business_message\"");
  }

  @Test
  void aSingleImageGoesWithSendPhotoAndTheTextAsItsCaption() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(sent(150));

    Message reply = replyWith(customer, "The **front** side", Attachment.of(
        AttachmentType.IMAGE, "https://cdn.acme.test/front.jpg", "front.jpg", "image/jpeg"));

    RecordedRequest request = next();
    assertThat(method(request)).isEqualTo("sendPhoto");
    JsonNode body = body(request);
    assertThat(body.path("chat_id").asText()).isEqualTo("111");
    assertThat(body.path("photo").asText()).isEqualTo("https://cdn.acme.test/front.jpg");
    assertThat(body.path("caption").asText()).isEqualTo("The <b>front</b> side");
    assertThat(body.path("parse_mode").asText()).isEqualTo("HTML");
    assertThat(awaitSourceId(reply, "111:150")).isNotNull();
    assertThat(telegram.getRequestCount()).as("the text went as the caption").isEqualTo(1);
  }

  @Test
  void musicGoesWithSendAudioAndADocumentByUrlWithSendDocument() throws Exception {
    Message customer = incoming("text", "111:1");
    telegram.enqueue(sent(160));
    telegram.enqueue(sent(161));

    replyWith(customer, null,
        Attachment.of(AttachmentType.AUDIO, "https://cdn.acme.test/jingle.mp3", "jingle.mp3",
            "audio/mpeg"),
        Attachment.of(AttachmentType.FILE, "https://cdn.acme.test/terms.pdf", "terms.pdf",
            "application/pdf"));

    RecordedRequest audio = next();
    assertThat(method(audio)).isEqualTo("sendAudio");
    assertThat(body(audio).path("audio").asText()).isEqualTo("https://cdn.acme.test/jingle.mp3");
    RecordedRequest document = next();
    assertThat(method(document)).isEqualTo("sendDocument");
    assertThat(body(document).path("document").asText())
        .isEqualTo("https://cdn.acme.test/terms.pdf");
  }

  @Test
  void storedImagesAreUploadedAsOneMediaGroupThatNamesThemWithAttach() throws Exception {
    Message customer = incoming("text", "111:1");
    List<Attachment> images = new ArrayList<>();
    for (String name : List.of("front.jpg", "back.jpg")) {
      String key = f.sb.channelContext().blobs().put(account.id(), name,
          new ByteArrayInputStream(("jpeg-of-" + name).getBytes(StandardCharsets.UTF_8)));
      images.add(new Attachment(0, 0, 0, AttachmentType.IMAGE, null, key, name, "image/jpeg",
          16L, null, null, Map.of()));
    }
    telegram.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"ok\":true,\"result\":[{\"message_id\":170},{\"message_id\":171}]}"));

    Message reply = replyWith(customer, "Both sides", images.get(0), images.get(1));

    RecordedRequest request = next();
    assertThat(method(request)).isEqualTo("sendMediaGroup");
    assertThat(request.getHeader("Content-Type")).startsWith("multipart/form-data");
    Map<String, String> parts = formParts(request);
    JsonNode items = JSON.readTree(parts.get("media"));
    assertThat(items).hasSize(2);
    assertThat(items.get(0).path("media").asText()).isEqualTo("attach://file0");
    assertThat(items.get(0).path("caption").asText()).isEqualTo("Both sides");
    assertThat(items.get(1).path("media").asText()).isEqualTo("attach://file1");
    assertThat(parts).containsEntry("file0", "jpeg-of-front.jpg")
        .containsEntry("file1", "jpeg-of-back.jpg").containsEntry("chat_id", "111");
    assertThat(awaitSourceId(reply, "111:170")).isNotNull();
  }

  @Test
  void aBusinessOwnMessageIsStoredAsSentAndNeverSentBack() throws Exception {
    Message customer = incoming("business_message_in", "222:301");
    Message echo = incoming("business_message_out", "222:302");

    assertThat(echo.messageType()).isEqualTo(MessageType.OUTGOING);
    List<JobRecord> jobs = store.inTransaction(tx ->
        tx.listDueJobs(Instant.now().plus(Duration.ofDays(1)), 100));
    assertThat(jobs).as("no send job").noneMatch(job -> job.kind().equals("send"));
    assertThat(telegram.takeRequest(500, TimeUnit.MILLISECONDS)).as("no request").isNull();
    Message stored = f.sb.messages().get(account.id(), echo.id());
    assertThat(stored.sourceId()).isEqualTo("222:302");
    assertThat(stored.status()).isEqualTo(MessageStatus.SENT);
    assertThat(stored.conversationId()).isEqualTo(customer.conversationId());
  }
}
