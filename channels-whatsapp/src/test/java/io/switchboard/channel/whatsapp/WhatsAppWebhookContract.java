package io.switchboard.channel.whatsapp;

import static io.switchboard.channel.whatsapp.Payloads.APP_SECRET;
import static io.switchboard.channel.whatsapp.Payloads.PHONE_NUMBER_ID;
import static io.switchboard.channel.whatsapp.Payloads.post;
import static io.switchboard.channel.whatsapp.Payloads.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.ConversationFilter;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
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
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recorded Cloud API deliveries through the whole webhook pipeline into the store:
 * verification, routing, every message type, statuses, and media downloads from a local Graph
 * API.
 */
abstract class WhatsAppWebhookContract {
  MockWebServer graph;
  final AtomicInteger failingLookups = new AtomicInteger();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  Fixture f;
  Account account;
  Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws Exception {
    graph = new MockWebServer();
    graph.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        authorizations.add(String.valueOf(request.getHeader("Authorization")));
        String path = request.getPath();
        if (path.startsWith("/v23.0/")) {
          if (failingLookups.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new MockResponse().setResponseCode(500);
          }
          String id = path.substring("/v23.0/".length());
          return new MockResponse().setHeader("Content-Type", "application/json").setBody(
              "{\"messaging_product\":\"whatsapp\",\"url\":\"" + graph.url("/lookaside/" + id)
              + "\",\"mime_type\":\"image/jpeg\",\"sha256\":\"x\",\"file_size\":\"20\",\"id\":\""
              + id + "\"}");
        }
        if (path.startsWith("/lookaside/")) {
          return new MockResponse().setBody("bytes-of-" + path.substring("/lookaside/".length()));
        }
        return new MockResponse().setResponseCode(404);
      }
    });
    graph.start();
    WhatsAppConfig config = WhatsAppConfig.defaults().withGraphBaseUrl(graph.url("/").toString())
        .withVerifyToken(Payloads.APP_VERIFY_TOKEN);
    f = new Fixture(newStore(), b -> b.channel(WhatsAppChannel.create(config)));
    account = f.account("Acme");
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("WhatsApp", ChannelType.WHATSAPP,
        Map.of(WhatsAppChannel.PHONE_NUMBER_ID, PHONE_NUMBER_ID,
            WhatsAppChannel.ACCESS_TOKEN, Payloads.ACCESS_TOKEN,
            WhatsAppChannel.APP_SECRET, APP_SECRET,
            WhatsAppChannel.VERIFY_TOKEN, Payloads.INBOX_VERIFY_TOKEN)));
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    graph.shutdown();
  }

  private WebhookResponse deliver(String payload) {
    return f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, post(read(payload), APP_SECRET));
  }

  /** Delivers a recorded payload and returns the one message it stored. */
  private Message deliverOne(String payload) {
    assertThat(deliver(payload).status()).isEqualTo(200);
    List<Message> incoming = incomingMessages();
    assertThat(incoming).as("incoming messages after " + payload).isNotEmpty();
    return incoming.get(incoming.size() - 1);
  }

  private List<Conversation> conversations() {
    return f.sb.conversations().list(account.id(), ConversationFilter.all(), null, 100).items();
  }

  private List<Message> incomingMessages() {
    List<Message> all = new ArrayList<>();
    for (Conversation c : conversations()) {
      all.addAll(f.sb.messages().list(account.id(), c.id(), null, 100).items());
    }
    return all.stream().filter(m -> m.messageType() == MessageType.INCOMING)
        .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
  }

  private Message outgoingWithSourceId(String sourceId) {
    // an echo: a message sent elsewhere, stored with the provider's id and never sent again
    Conversation c = conversations().get(0);
    return f.sb.messages().reply(account.id(), c.id(),
        MessageDraft.builder().content("earlier outgoing").sourceId(sourceId).build(),
        Actor.system());
  }

  private Contact contactOf(Message m) {
    return f.sb.contacts().get(account.id(), m.senderId());
  }

  // ------------------------------------------------------------------ verification

  @Test
  void theVerificationChallengeIsAnsweredForTheAppOrInboxVerifyToken() {
    WebhookResponse app = f.sb.incoming().handleWebhook(ChannelType.WHATSAPP,
        WebhookRequest.builder("GET", "/webhooks/whatsapp").query("hub.mode", "subscribe")
            .query("hub.verify_token", Payloads.APP_VERIFY_TOKEN).query("hub.challenge", "1158201444")
            .build());
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.body()).isEqualTo("1158201444");

    WebhookResponse perInbox = f.sb.incoming().handleWebhook(ChannelType.WHATSAPP,
        WebhookRequest.builder("GET", "/webhooks/whatsapp").query("hub.mode", "subscribe")
            .query("hub.verify_token", Payloads.INBOX_VERIFY_TOKEN).query("hub.challenge", "42")
            .query("phone_number_id", PHONE_NUMBER_ID).build());
    assertThat(perInbox.status()).isEqualTo(200);
    assertThat(perInbox.body()).isEqualTo("42");
  }

  @Test
  void aWrongVerifyTokenOrModeGets403() {
    WebhookResponse wrongToken = f.sb.incoming().handleWebhook(ChannelType.WHATSAPP,
        WebhookRequest.builder("GET", "/webhooks/whatsapp").query("hub.mode", "subscribe")
            .query("hub.verify_token", "guess").query("hub.challenge", "1")
            .query("phone_number_id", PHONE_NUMBER_ID).build());
    WebhookResponse wrongMode = f.sb.incoming().handleWebhook(ChannelType.WHATSAPP,
        WebhookRequest.builder("GET", "/webhooks/whatsapp").query("hub.mode", "unsubscribe")
            .query("hub.verify_token", Payloads.APP_VERIFY_TOKEN).query("hub.challenge", "1").build());
    assertThat(wrongToken.status()).isEqualTo(403);
    assertThat(wrongMode.status()).isEqualTo(403);
    assertThat(wrongToken.body()).doesNotContain("1");
  }

  @Test
  void aForgedOrMissingSignatureGets401AndStoresNothing() {
    String body = read("text.json");
    assertThat(f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, post(body, "not-the-secret"))
        .status()).isEqualTo(401);
    assertThat(f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, post(body, null)).status())
        .isEqualTo(401);
    String tampered = body.replace("another color", "a refund");
    WebhookRequest signedOriginal = WebhookRequest.builder("POST", "/webhooks/whatsapp")
        .header("X-Hub-Signature-256", Payloads.signature(APP_SECRET, body)).body(tampered).build();
    assertThat(f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, signedOriginal).status())
        .isEqualTo(401);
    assertThat(conversations()).isEmpty();
  }

  @Test
  void aRotatedAppSecretAppliesToTheVeryNextDeliveryThoughTheRouteWasJustRead() {
    // the first delivery reads the inbox by its phone number id, and keeps it for a second
    assertThat(deliver("text.json").status()).isEqualTo(200);
    String rotated = "0123456789abcdef0123456789abcdef";
    f.sb.admin().updateInbox(account.id(), inbox.id(), InboxDraft.of("WhatsApp",
        ChannelType.WHATSAPP, Map.of(WhatsAppChannel.PHONE_NUMBER_ID, PHONE_NUMBER_ID,
            WhatsAppChannel.ACCESS_TOKEN, Payloads.ACCESS_TOKEN,
            WhatsAppChannel.APP_SECRET, rotated,
            WhatsAppChannel.VERIFY_TOKEN, Payloads.INBOX_VERIFY_TOKEN)));
    String next = read("text.json").replace("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAz",
        "wamid.rotated").replace("another color", "a second color");

    assertThat(f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, post(next, APP_SECRET))
        .status()).isEqualTo(401);
    assertThat(f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, post(next, rotated))
        .status()).isEqualTo(200);
    assertThat(incomingMessages()).extracting(Message::content).containsExactly(
        "Does it come in another color?", "Does it come in a second color?");
  }

  @Test
  void malformedJsonGets400AndATwoMegabyteBodyIsRefused() {
    WebhookResponse malformed = f.sb.incoming().handleWebhook(ChannelType.WHATSAPP,
        post("{\"object\": \"whatsapp_business_account\", \"entry\": [", APP_SECRET));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).doesNotContain(APP_SECRET);

    String huge = read("text.json").replace("Does it come in another color?",
        "x".repeat(2 * 1024 * 1024));
    assertThat(f.sb.incoming().handleWebhook(ChannelType.WHATSAPP, post(huge, APP_SECRET))
        .status()).isEqualTo(413);
    assertThat(conversations()).isEmpty();
  }

  @Test
  void aDeliveryForAnUnknownPhoneNumberIdIsAcknowledgedAndStoresNothing() {
    assertThat(deliver("unknown_number.json").status()).isEqualTo(200);
    assertThat(conversations()).isEmpty();
  }

  @Test
  void oneDeliveryNamingTwoNumbersOfTheAppStoresEachMessageInItsInboxAndDropsAnUnknownOne() {
    Inbox support = f.sb.admin().createInbox(account.id(), InboxDraft.of("Support line",
        ChannelType.WHATSAPP, Map.of(WhatsAppChannel.PHONE_NUMBER_ID, "119876543210987",
            WhatsAppChannel.ACCESS_TOKEN, "EAAGsupport-token",
            WhatsAppChannel.APP_SECRET, APP_SECRET)));

    assertThat(deliver("two_numbers.json").status()).isEqualTo(200);

    assertThat(incomingMessages()).extracting(Message::sourceId)
        .containsExactlyInAnyOrder("wamid.SALES-1", "wamid.SUPPORT-1");
    assertThat(incomingMessages()).allSatisfy(m -> assertThat(m.inboxId()).isEqualTo(
        m.sourceId().equals("wamid.SALES-1") ? inbox.id() : support.id()));
    assertThat(conversations()).extracting(Conversation::inboxId)
        .containsExactlyInAnyOrder(inbox.id(), support.id());
  }

  // ------------------------------------------------------------------ messages

  @Test
  void aTextMessageIsStoredForTheContactNamedByItsProfileAndWaId() {
    Message m = deliverOne("text.json");

    assertThat(m.content()).isEqualTo("Does it come in another color?");
    assertThat(m.contentType()).isEqualTo(ContentType.TEXT);
    assertThat(m.sourceId()).isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
    Contact contact = contactOf(m);
    assertThat(contact.name()).isEqualTo("Sheena Nelson");
    assertThat(contact.phoneNumber()).isEqualTo("+16505551234");
    assertThat(f.sb.contacts().contactInboxes(account.id(), contact.id()))
        .singleElement().satisfies(ci -> {
          assertThat(ci.sourceId()).isEqualTo("16505551234");
          assertThat(ci.inboxId()).isEqualTo(inbox.id());
        });
  }

  @Test
  void aDeliveryRedeliveredThreeTimesCreatesOneMessage() {
    for (int i = 0; i < 3; i++) {
      assertThat(deliver("text.json").status()).isEqualTo(200);
    }
    assertThat(incomingMessages()).hasSize(1);
  }

  @Test
  void aBatchWithTwoMessagesFromTwoContactsCreatesBoth() {
    assertThat(deliver("batch_two_contacts.json").status()).isEqualTo(200);

    List<Message> messages = incomingMessages();
    assertThat(messages).extracting(Message::content)
        .containsExactlyInAnyOrder("first contact", "second contact");
    assertThat(messages).extracting(m -> contactOf(m).name())
        .containsExactlyInAnyOrder("Sheena Nelson", "Tom Baker");
    assertThat(conversations()).hasSize(2);
  }

  @Test
  void everyEntryAndEveryChangeOfADeliveryIsRead() {
    assertThat(deliver("multi_entry.json").status()).isEqualTo(200);

    assertThat(incomingMessages()).extracting(Message::sourceId)
        .containsExactlyInAnyOrder("wamid.MULTI-1", "wamid.MULTI-2", "wamid.MULTI-3");
    assertThat(incomingMessages()).extracting(m -> contactOf(m).name())
        .containsExactlyInAnyOrder("Sheena Nelson", "Tom Baker", "Amélie");
  }

  @Test
  void mediaMessagesCarryTheirAttachmentTypeAndAreDownloadedIntoTheBlobStore() throws Exception {
    record Case(String payload, AttachmentType type, String mime, String mediaId, String caption,
        String fileName) {}
    List<Case> cases = List.of(
        new Case("image.json", AttachmentType.IMAGE, "image/jpeg", "1003383421387256",
            "This is the one I got", null),
        new Case("audio_voice.json", AttachmentType.AUDIO, "audio/ogg; codecs=opus",
            "1234567890123456", null, null),
        new Case("video.json", AttachmentType.VIDEO, "video/mp4", "2233445566778899",
            "Unboxing", null),
        new Case("document.json", AttachmentType.FILE, "application/pdf", "3344556677889900",
            "My invoice", "invoice-1234.pdf"),
        new Case("sticker.json", AttachmentType.STICKER, "image/webp", "4455667788990011",
            null, null));
    for (Case c : cases) {
      Message m = deliverOne(c.payload());
      assertThat(m.content()).as(c.payload()).isEqualTo(c.caption());
      Attachment a = m.attachments().get(0);
      assertThat(a.fileType()).as(c.payload()).isEqualTo(c.type());
      assertThat(a.contentType()).as(c.payload()).isEqualTo(c.mime());
      assertThat(a.fileName()).as(c.payload()).isEqualTo(c.fileName());
      assertThat(a.meta()).as(c.payload()).containsEntry("media_id", c.mediaId());

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(f.sb.messages().get(account.id(), m.id()).attachments().get(0).blobKey())
              .as(c.payload()).isNotNull());
      Attachment done = f.sb.messages().get(account.id(), m.id()).attachments().get(0);
      assertThat(done.pendingFetch()).isFalse();
      try (var in = f.sb.channelContext().blobs().open(account.id(), done.blobKey()).orElseThrow()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("bytes-of-" + c.mediaId());
      }
    }
    Message voice = incomingMessages().stream()
        .filter(m -> "wamid.AUDIO01".equals(m.sourceId())).findFirst().orElseThrow();
    assertThat(voice.attachments().get(0).meta()).containsEntry("voice", true);
    assertThat(authorizations).isNotEmpty()
        .allMatch(h -> h.equals("Bearer " + Payloads.ACCESS_TOKEN));
  }

  @Test
  void aFailedMediaDownloadLeavesTheMessageStoredAndIsRetried() {
    failingLookups.set(2);
    Message m = deliverOne("image.json");
    assertThat(m.attachments().get(0).blobKey()).isNull();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.sb.messages().get(account.id(), m.id()).attachments().get(0).blobKey())
            .isNotNull());
    assertThat(failingLookups.get()).isZero();
  }

  @Test
  void aMediaDownloadThatNeverSucceedsEndsWithAFetchErrorOnTheAttachmentAndTheMessage() {
    failingLookups.set(Integer.MAX_VALUE);
    Message m = deliverOne("image.json");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        f.sb.messages().get(account.id(), m.id()).attachments().get(0).pendingFetch()).isFalse());
    Message given = f.sb.messages().get(account.id(), m.id());
    Attachment image = given.attachments().get(0);
    assertThat(image.blobKey()).isNull();
    assertThat((String) image.meta().get("fetch_error"))
        .startsWith("the file could not be downloaded after 5 attempts")
        .contains("media lookup answered HTTP 500");
    assertThat(given.contentAttributes()).containsEntry("file_not_downloaded",
        image.meta().get("fetch_error"));
    assertThat(given.content()).isEqualTo(m.content());
  }

  @Test
  void aLocationCarriesItsCoordinatesNameAndAddress() {
    Attachment a = deliverOne("location.json").attachments().get(0);
    assertThat(a.fileType()).isEqualTo(AttachmentType.LOCATION);
    assertThat(a.latitude()).isEqualTo(37.483253);
    assertThat(a.longitude()).isEqualTo(-122.148982);
    assertThat(a.meta()).containsEntry("name", "Meta Headquarters")
        .containsEntry("address", "1 Hacker Way, Menlo Park, CA 94025");
  }

  @Test
  void sharedContactsBecomeOneContactAttachmentPerPhone() {
    List<Attachment> cards = deliverOne("contacts.json").attachments();
    assertThat(cards).hasSize(2).allMatch(a -> a.fileType() == AttachmentType.CONTACT);
    assertThat(cards).extracting(a -> a.meta().get("phone"))
        .containsExactly("+1 (940) 555-1234", "+1 (650) 555-1235");
    assertThat(cards).allMatch(a -> "Barbara J. Johnson".equals(a.meta().get("name")));
    assertThat(cards.get(0).meta()).containsEntry("wa_id", "19405551234");
  }

  @Test
  void sharedContactsWithMoreThanFifteenPhonesKeepFifteenCardsAndTheRestOnTheMessage() {
    Message m = deliverOne("contacts_twenty_phones.json");

    assertThat(m.sourceId()).isEqualTo("wamid.CONTACTS20");
    assertThat(m.attachments()).hasSize(Message.MAX_ATTACHMENTS)
        .allMatch(a -> a.fileType() == AttachmentType.CONTACT);
    assertThat(m.attachments().get(14).meta()).containsEntry("name", "Alan Turing")
        .containsEntry("phone", "+1 (650) 555-0204");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> more =
        (List<Map<String, Object>>) m.contentAttributes().get("more_contacts");
    assertThat(more).hasSize(5).allSatisfy(card ->
        assertThat(card).containsEntry("name", "Edsger Dijkstra"));
    assertThat(more.get(4)).containsEntry("phone", "+1 (650) 555-0304");
  }

  @Test
  void interactiveRepliesAndTemplateButtonsStoreTheChoiceAndTheMessageTheyAnswer() {
    deliverOne("text.json");
    Message ask = outgoingWithSourceId("wamid.OUTBOUND-ASK");
    Message list = outgoingWithSourceId("wamid.OUTBOUND-LIST");
    Message template = outgoingWithSourceId("wamid.OUTBOUND-TEMPLATE");

    Message button = deliverOne("interactive_button_reply.json");
    assertThat(button.content()).isEqualTo("Yes, ship it");
    assertThat(button.contentAttributes()).containsEntry("in_reply_to", ask.id())
        .containsEntry("in_reply_to_external_id", "wamid.OUTBOUND-ASK")
        .containsEntry("interactive_reply",
            Map.of("type", "button_reply", "id", "yes-ship", "title", "Yes, ship it"));

    Message row = deliverOne("interactive_list_reply.json");
    assertThat(row.content()).isEqualTo("Medium");
    assertThat(row.contentAttributes()).containsEntry("in_reply_to", list.id());
    assertThat(row.contentAttributes().get("interactive_reply")).isEqualTo(Map.of(
        "type", "list_reply", "id", "size-m", "title", "Medium", "description", "Chest 96-101 cm"));

    Message quickReply = deliverOne("button.json");
    assertThat(quickReply.content()).isEqualTo("Stop promotions");
    assertThat(quickReply.contentAttributes()).containsEntry("button_payload", "STOP_PROMOS")
        .containsEntry("in_reply_to", template.id());
  }

  @Test
  void aReactionIsStoredAgainstTheMessageItReactsTo() {
    deliverOne("text.json");
    Message original = outgoingWithSourceId("wamid.ORIGINAL-FOR-REACTION");

    Message reaction = deliverOne("reaction.json");
    assertThat(reaction.content()).isEqualTo("\uD83D\uDC4D");
    assertThat(reaction.contentAttributes()).containsEntry("is_reaction", true)
        .containsEntry("in_reply_to_external_id", "wamid.ORIGINAL-FOR-REACTION")
        .containsEntry("in_reply_to", original.id());
  }

  @Test
  void aReplyPointsToTheMessageItReplies() {
    deliverOne("text.json");
    Message original = outgoingWithSourceId("wamid.ORIGINAL-FOR-REPLY");

    Message reply = deliverOne("reply_context.json");
    assertThat(reply.content()).isEqualTo("Yes, this one");
    assertThat(reply.contentAttributes()).containsEntry("in_reply_to", original.id())
        .containsEntry("in_reply_to_external_id", "wamid.ORIGINAL-FOR-REPLY");
  }

  @Test
  void aClickToWhatsAppReferralIsKeptOnTheConversation() {
    Message m = deliverOne("referral.json");
    Conversation c = f.sb.conversations().get(account.id(), m.conversationId());
    assertThat(c.additionalAttributes().get("referral")).isInstanceOfSatisfying(Map.class,
        referral -> assertThat(referral).containsEntry("source_type", "ad")
            .containsEntry("source_id", "120226305854810726")
            .containsEntry("headline", "Chat with us"));
    assertThat(m.content()).isEqualTo("Hi, I saw your ad");
  }

  @Test
  void unsupportedAndUnknownTypesAreStoredAsUnsupportedWithTheProvidersError() {
    Message unsupported = deliverOne("unsupported.json");
    assertThat(unsupported.contentType()).isEqualTo(ContentType.UNSUPPORTED);
    assertThat(unsupported.contentAttributes()).containsEntry("is_unsupported", true)
        .containsEntry("unsupported_type", "edit")
        .containsEntry("provider_error",
            "131051: Message type unknown — Message type is currently not supported.");

    Message order = deliverOne("unknown_type.json");
    assertThat(order.contentType()).isEqualTo(ContentType.UNSUPPORTED);
    assertThat(order.contentAttributes()).containsEntry("unsupported_type", "order")
        .containsEntry("provider_error", "message type 'order' is not supported");
    assertThat(contactOf(order).name()).isEqualTo("Sheena Nelson");
  }

  // ------------------------------------------------------------------ statuses

  private Message sentMessage() {
    deliverOne("text.json");
    return outgoingWithSourceId("wamid.OUTBOUND-1");
  }

  @Test
  void aDeliveredStatusAfterReadLeavesTheMessageRead() {
    Message sent = sentMessage();
    deliver("status_sent.json");
    deliver("status_read.json");
    deliver("status_delivered.json");
    assertThat(f.sb.messages().get(account.id(), sent.id()).status()).isEqualTo(MessageStatus.READ);
  }

  @Test
  void aFailedStatusCarriesTheCodeTitleAndDetails() {
    Message sent = sentMessage();
    deliver("status_sent.json");
    deliver("status_failed.json");
    Message failed = f.sb.messages().get(account.id(), sent.id());
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.externalError()).isEqualTo("131047: Re-engagement message — Message failed "
        + "to send because more than 24 hours have passed since the customer last replied to "
        + "this number.");
    deliver("status_sent.json");
    assertThat(f.sb.messages().get(account.id(), sent.id()).status())
        .isEqualTo(MessageStatus.FAILED);
  }

  @Test
  void aStatusForAnUnknownMessageIsIgnoredSafely() {
    Message sent = sentMessage();
    assertThat(deliver("status_unknown_message.json").status()).isEqualTo(200);
    assertThat(f.sb.messages().get(account.id(), sent.id()).status()).isEqualTo(MessageStatus.SENT);
    assertThat(f.sb.deadJobs(10)).isEmpty();
  }
}
