package io.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.event.EventType;
import io.switchboard.jdbi.Fixture;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.ContentType;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageType;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recorded Telegram updates through the webhook into the store. */
abstract class TelegramPipelineContract {
  MockWebServer telegram;
  final FakeFiles api = new FakeFiles();
  Fixture f;
  Account account;
  Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws IOException {
    telegram = new MockWebServer();
    telegram.setDispatcher(api);
    telegram.start();
    start(TelegramConfig.defaults().withBaseUrl(telegram.url("/").toString()));
  }

  void start(TelegramConfig config) {
    f = new Fixture(newStore(), b -> b.channel(TelegramChannel.create(config)));
    account = f.account("Acme");
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("Acme bot", ChannelType.TELEGRAM,
        Map.of(TelegramChannel.BOT_TOKEN, Updates.BOT_TOKEN,
            TelegramChannel.SECRET_TOKEN, Updates.SECRET)));
  }

  @AfterEach
  void tearDown() throws IOException {
    f.close();
    telegram.shutdown();
  }

  /** getFile and file downloads of a fake Bot API, and sendMessage (recorded). */
  static final class FakeFiles extends Dispatcher {
    final List<String> sentMessages = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (path.endsWith("/sendMessage")) {
        sentMessages.add(request.getBody().readUtf8());
        return new MockResponse().setHeader("Content-Type", "application/json")
            .setBody("{\"ok\":true,\"result\":{\"message_id\":41}}");
      }
      if (path.endsWith("/getFile")) {
        String body = request.getBody().readUtf8();
        String fileId = body.replaceAll(".*\"file_id\":\"([^\"]+)\".*", "$1");
        if (fileId.endsWith("TooBig")) {
          return new MockResponse().setResponseCode(400).setHeader("Content-Type",
              "application/json").setBody("{\"ok\":false,\"error_code\":400,"
              + "\"description\":\"Bad Request: file is too big\"}");
        }
        return new MockResponse().setHeader("Content-Type", "application/json")
            .setBody("{\"ok\":true,\"result\":{\"file_id\":\"" + fileId
                + "\",\"file_unique_id\":\"u\",\"file_size\":11,\"file_path\":\"photos/"
                + fileId + ".jpg\"}}");
      }
      if (path.startsWith("/file/bot" + Updates.BOT_TOKEN + "/photos/")) {
        return new MockResponse().setBody("jpeg-bytes!");
      }
      return new MockResponse().setResponseCode(404)
          .setBody("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
    }
  }

  WebhookResponse post(String update) {
    return f.sb.incoming().handleWebhook(ChannelType.TELEGRAM, Updates.webhook(update));
  }

  Optional<Message> stored(String sourceId) {
    return f.syncEvents(EventType.MESSAGE_CREATED).stream()
        .map(e -> e.message())
        .filter(m -> sourceId.equals(m.sourceId()))
        .findFirst()
        .map(m -> f.sb.messages().get(account.id(), m.id()));
  }

  Message only(String update, String sourceId) {
    assertThat(post(update).status()).isEqualTo(200);
    return stored(sourceId).orElseThrow(() -> new AssertionError("no message " + sourceId));
  }

  @Test
  void aTextMessageCreatesTheContactWithItsTelegramFactsAndTheConversationWithItsChat() {
    Message m = only("text", "111:1");

    assertThat(m.messageType()).isEqualTo(MessageType.INCOMING);
    assertThat(m.content()).isEqualTo("Hello there, where is my <order> & invoice?");
    Contact contact = f.sb.contacts().get(account.id(), m.senderId());
    assertThat(contact.name()).isEqualTo("Dana Scully");
    assertThat(contact.additionalAttributes()).containsEntry("username", "dana_s")
        .containsEntry("first_name", "Dana").containsEntry("last_name", "Scully")
        .containsEntry("language_code", "en");
    assertThat(f.sb.contacts().contactInboxes(account.id(), contact.id()))
        .singleElement().satisfies(ci -> assertThat(ci.sourceId()).isEqualTo("111"));
    Conversation conversation = f.sb.conversations().get(account.id(), m.conversationId());
    assertThat(conversation.additionalAttributes()).containsEntry("chat_id", "111");
  }

  @Test
  void aReplyPointsAtTheRepliedToMessage() {
    Message first = only("text", "111:1");
    Message reply = only("reply", "111:2");

    assertThat(reply.contentAttributes()).containsEntry("in_reply_to_external_id", "111:1");
    assertThat(((Number) reply.contentAttributes().get("in_reply_to")).longValue())
        .isEqualTo(first.id());
  }

  @Test
  void anEditChangesTheStoredContentAndEmitsOneMessageUpdated() {
    Message original = only("text", "111:1");

    assertThat(post("edited_message").status()).isEqualTo(200);
    assertThat(post("edited_message").status()).isEqualTo(200);

    assertThat(f.sb.messages().get(account.id(), original.id()).content())
        .isEqualTo("Hello there, where is my order #42?");
    assertThat(f.syncEvents(EventType.MESSAGE_UPDATED)).hasSize(1);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
  }

  @Test
  void aDuplicateUpdateCreatesNothing() {
    post("text");
    post("text");
    post("text");

    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).hasSize(1);
    assertThat(f.syncEvents(EventType.CONVERSATION_CREATED)).hasSize(1);
  }

  @Test
  void aPhotoKeepsTheLargestSizeAndIsDownloadedIntoTheBlobStore() throws IOException {
    Message m = only("photo", "111:3");

    assertThat(m.content()).isEqualTo("The broken part");
    Attachment photo = m.attachments().get(0);
    assertThat(photo.fileType()).isEqualTo(AttachmentType.IMAGE);
    assertThat(photo.meta()).containsEntry("file_id", "AgACAgIAAxkBAAIBLarge");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.messages().get(account.id(), m.id()).attachments().get(0).blobKey()).isNotNull());
    Attachment done = f.sb.messages().get(account.id(), m.id()).attachments().get(0);
    assertThat(done.pendingFetch()).isFalse();
    try (var in = f.sb.channelContext().blobs().open(account.id(), done.blobKey()).orElseThrow()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("jpeg-bytes!");
    }
  }

  @Test
  void aFileOverTwentyMegabytesIsNotDownloadedAndSaysWhy() {
    Message m = only("large_document", "111:5");

    Attachment file = m.attachments().get(0);
    assertThat(file.fileType()).isEqualTo(AttachmentType.FILE);
    assertThat(file.pendingFetch()).isFalse();
    assertThat(file.blobKey()).isNull();
    assertThat(file.fileSize()).isEqualTo(31457280L);
    assertThat((String) file.meta().get("fetch_refused")).contains("20 MB");
    assertThat((String) m.contentAttributes().get("file_not_downloaded")).contains("20 MB");
  }

  @Test
  void aFileTelegramRefusesAsTooBigGetsTheNoteOnItsAttachmentAndOnTheMessage() {
    Message m = only("document_size_unknown", "111:15");
    assertThat(m.attachments().get(0).pendingFetch()).isTrue();
    assertThat(m.contentAttributes()).doesNotContainKey("file_not_downloaded");

    // the attachment and then the message are updated, in two transactions: wait for both
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Message now = f.sb.messages().get(account.id(), m.id());
      assertThat(now.attachments().get(0).pendingFetch()).isFalse();
      assertThat(now.contentAttributes()).containsKey("file_not_downloaded");
    });
    Message fetched = f.sb.messages().get(account.id(), m.id());
    Attachment file = fetched.attachments().get(0);
    assertThat(file.blobKey()).isNull();
    assertThat((String) file.meta().get("fetch_refused")).contains("20 MB");
    assertThat((String) fetched.contentAttributes().get("file_not_downloaded"))
        .contains("20 MB");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.syncEvents(EventType.MESSAGE_UPDATED)).anySatisfy(e -> assertThat(
            e.message().contentAttributes()).containsKey("file_not_downloaded")));
  }

  @Test
  void documentVoiceAudioVideoVideoNoteAndStickerBecomeFileAttachmentsToFetch() {
    assertThat(only("document", "111:4").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.FILE);
      assertThat(a.fileName()).isEqualTo("invoice-42.pdf");
      assertThat(a.contentType()).isEqualTo("application/pdf");
      assertThat(a.meta()).containsEntry("file_id", "BQACAgIAAxkBAAIBDoc");
    });
    assertThat(only("voice", "111:6").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.AUDIO);
      assertThat(a.meta()).containsEntry("telegram_kind", "voice");
    });
    assertThat(only("audio", "111:7").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.AUDIO);
      assertThat(a.fileName()).isEqualTo("jingle.mp3");
    });
    Message video = only("video", "111:8");
    assertThat(video.content()).isEqualTo("Look at this");
    assertThat(video.attachments()).singleElement()
        .satisfies(a -> assertThat(a.fileType()).isEqualTo(AttachmentType.VIDEO));
    assertThat(only("video_note", "111:9").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.VIDEO);
      assertThat(a.meta()).containsEntry("telegram_kind", "video_note");
    });
    Message sticker = only("sticker", "111:10");
    assertThat(sticker.contentType()).isEqualTo(ContentType.STICKER);
    assertThat(sticker.attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.STICKER);
      assertThat(a.meta()).containsEntry("emoji", "👍");
    });
  }

  @Test
  void locationVenueAndContactBecomeStructuredAttachments() {
    assertThat(only("location", "111:11").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.LOCATION);
      assertThat(a.latitude()).isEqualTo(52.520008);
      assertThat(a.longitude()).isEqualTo(13.404954);
    });
    assertThat(only("venue", "111:12").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.LOCATION);
      assertThat(a.latitude()).isEqualTo(48.85837);
      assertThat(a.meta()).containsEntry("title", "Eiffel Tower");
    });
    assertThat(only("contact", "111:13").attachments()).singleElement().satisfies(a -> {
      assertThat(a.fileType()).isEqualTo(AttachmentType.CONTACT);
      assertThat(a.fileName()).isEqualTo("Fox Mulder");
      assertThat(a.meta()).containsEntry("phone_number", "+4915112345678")
          .containsEntry("user_id", "333");
    });
  }

  @Test
  void anUnknownMessageKindIsStoredAsUnsupported() {
    Message poll = only("poll", "111:14");

    assertThat(poll.contentType()).isEqualTo(ContentType.UNSUPPORTED);
    assertThat(poll.contentAttributes()).containsEntry("unsupported_type", "poll");
  }

  @Test
  void aCallbackQueryBecomesAMessageWithTheButtonDataAndIsAnsweredInTheResponse() {
    WebhookResponse response = post("callback_query");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.body()).contains("\"method\":\"answerCallbackQuery\"")
        .contains("\"callback_query_id\":\"4382bfdwdsb323b2d9\"");
    Message m = stored("callback:4382bfdwdsb323b2d9").orElseThrow();
    assertThat(m.content()).isEqualTo("csat:5");
    assertThat(m.contentAttributes()).containsEntry("in_reply_to_external_id", "111:20");
  }

  @Test
  void businessMessagesUseTheChatAsContactAndStoreTheBusinessOwnMessagesAsOutgoing() {
    Message in = only("business_message_in", "222:301");
    Message out = only("business_message_out", "222:302");

    assertThat(in.messageType()).isEqualTo(MessageType.INCOMING);
    assertThat(out.messageType()).isEqualTo(MessageType.OUTGOING);
    assertThat(out.conversationId()).isEqualTo(in.conversationId());
    assertThat(out.sourceId()).isEqualTo("222:302");
    Conversation conversation = f.sb.conversations().get(account.id(), in.conversationId());
    assertThat(conversation.additionalAttributes())
        .containsEntry("business_connection_id", "AbCdEfGhBusiness01")
        .containsEntry("chat_id", "222");
    Contact contact = f.sb.contacts().get(account.id(), in.senderId());
    assertThat(contact.name()).isEqualTo("Walter Skinner");
    assertThat(f.sb.contacts().contactInboxes(account.id(), contact.id()))
        .singleElement().satisfies(ci -> assertThat(ci.sourceId()).isEqualTo("222"));

    post("edited_business_message");
    assertThat(f.sb.messages().get(account.id(), in.id()).content())
        .isEqualTo("Is the shop open on Sunday afternoon?");
  }

  @Test
  void withGroupChatsAcceptedAGroupMessageIsStoredForItsSenderAndTheReplyGoesToTheGroup()
      throws Exception {
    f.close();
    start(TelegramConfig.defaults().withBaseUrl(telegram.url("/").toString())
        .withGroupChats(true));

    Message m = only("group_message", "-1001234567890:40");

    assertThat(m.content()).isEqualTo("Hi all");
    Contact contact = f.sb.contacts().get(account.id(), m.senderId());
    assertThat(contact.name()).isEqualTo("Alex");
    assertThat(f.sb.contacts().contactInboxes(account.id(), contact.id()))
        .singleElement().satisfies(ci -> assertThat(ci.sourceId()).isEqualTo("444"));
    assertThat(f.sb.conversations().get(account.id(), m.conversationId()).additionalAttributes())
        .containsEntry("chat_id", "-1001234567890").containsEntry("chat_type", "supergroup");

    User anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT,
        "correct horse battery".toCharArray());
    Message reply = f.sb.messages().reply(account.id(), m.conversationId(),
        MessageDraft.text("Welcome, Alex"), Actor.user(anna));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.messages().get(account.id(), reply.id()).sourceId())
        .isEqualTo("-1001234567890:41"));
    assertThat(api.sentMessages).singleElement().satisfies(body -> assertThat(
        new ObjectMapper().readTree(body).path("chat_id").asText()).isEqualTo("-1001234567890"));
  }

  @Test
  void aPhotoWhoseLargestSizeIsNotTheLastKeepsTheLargest() {
    Message m = only("photo_largest_first", "111:16");

    assertThat(m.attachments()).singleElement().satisfies(a ->
        assertThat(a.meta()).containsEntry("file_id", "AgACAgIAAxkBAAIPLargest"));
  }

  @Test
  void groupChatsAndUnknownUpdateTypesAreAcknowledgedAndIgnored() {
    assertThat(post("group_message").status()).isEqualTo(200);
    assertThat(post("unknown_update").status()).isEqualTo(200);

    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }

  @Test
  void aMissingOrWrongSecretTokenIsRefusedWith401AndStoresNothing() {
    assertThat(f.sb.incoming().handleWebhook(ChannelType.TELEGRAM,
        Updates.webhook("text", null)).status()).isEqualTo(401);
    assertThat(f.sb.incoming().handleWebhook(ChannelType.TELEGRAM,
        Updates.webhook("text", "s3cret_Token-2")).status()).isEqualTo(401);

    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
    assertThat(f.syncEvents(EventType.CONTACT_CREATED)).isEmpty();
  }

  @Test
  void aWebhookForAnUnknownBotIsNotFoundAndStoresNothing() {
    var request = io.switchboard.channel.WebhookRequest
        .builder("POST", "/webhooks/telegram/987654321")
        .header("X-Telegram-Bot-Api-Secret-Token", Updates.SECRET).body(Updates.json("text"))
        .build();

    assertThat(f.sb.incoming().handleWebhook(ChannelType.TELEGRAM, request).status())
        .isEqualTo(404);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }

  @Test
  void anUpdateThatCannotBeParsedIsAcknowledgedAndSkippedSoTheNextOneArrives() {
    // a message whose sender has no id: answering an error would make Telegram repeat it
    assertThat(post("sender_without_id").status()).isEqualTo(200);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();

    assertThat(post("text").status()).isEqualTo(200);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
    // JSON that is no update at all is still a bad request
    var noUpdate = io.switchboard.channel.WebhookRequest
        .builder("POST", "/webhooks/telegram/" + Updates.BOT_ID)
        .header("X-Telegram-Bot-Api-Secret-Token", Updates.SECRET).body("{\"message\":{}}")
        .build();
    assertThat(f.sb.incoming().handleWebhook(ChannelType.TELEGRAM, noUpdate).status())
        .isEqualTo(400);
  }

  @Test
  void aMalformedBodyIsABadRequest() {
    var request = io.switchboard.channel.WebhookRequest
        .builder("POST", "/webhooks/telegram/" + Updates.BOT_ID)
        .header("X-Telegram-Bot-Api-Secret-Token", Updates.SECRET).body("{not json").build();

    assertThat(f.sb.incoming().handleWebhook(ChannelType.TELEGRAM, request).status())
        .isEqualTo(400);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).isEmpty();
  }
}
