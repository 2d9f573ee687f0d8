package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.InboxDraft;
import io.switchboard.MessageDraft;
import io.switchboard.RateLimitedException;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundStatus;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Contact;
import io.switchboard.model.Conversation;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.Role;
import io.switchboard.model.User;
import io.switchboard.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outgoing pipeline through the API channel: signed delivery to the inbox's webhook URL,
 * provider ids and statuses, retries and permanent failures, what is never sent, and the
 * validation and flood limit of replies.
 */
abstract class OutgoingContract {
  private static final String SECRET = "0123456789abcdef-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  MockWebServer receiver;
  Fixture f;
  Account account;
  User anna;
  Inbox inbox;
  Conversation conversation;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws Exception {
    receiver = new MockWebServer();
    receiver.start();
    // one worker runs jobs one by one in the order they were queued, so "the receiver got
    // request N" also means every send queued before it has run
    f = new Fixture(newStore(), b -> b.workerThreads(1).allowPrivateNetworkWebhooks(true));
    account = f.account("Acme");
    anna = f.sb.admin().createAgent(account.id(), "Anna", "anna@acme.test", Role.AGENT,
        "correct horse battery".toCharArray());
    inbox = f.apiInbox(account.id(), InboxDraft.of("API", ChannelType.API, Map.of(
        ApiChannel.WEBHOOK_URL, receiver.url("/hook").toString(),
        ApiChannel.WEBHOOK_SECRET, SECRET)));
    Message first = f.incoming(inbox, "contact-7", "in-1", "hello");
    conversation = f.sb.conversations().get(account.id(), first.conversationId());
  }

  @AfterEach
  void tearDown() throws Exception {
    f.close();
    receiver.shutdown();
  }

  private Message reply(String text) {
    return f.sb.messages().reply(account.id(), conversation.id(), MessageDraft.text(text),
        Actor.user(anna));
  }

  private Message message(long id) {
    return f.sb.messages().get(account.id(), id);
  }

  private RecordedRequest nextRequest() throws InterruptedException {
    RecordedRequest request = receiver.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("a request to the receiver").isNotNull();
    return request;
  }

  private static String hmacHex(String secret, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }

  private static String expectedSignature(String secret, RecordedRequest request)
      throws Exception {
    return "sha256=" + hmacHex(secret,
        request.getHeader("X-Switchboard-Timestamp") + "." + request.getBody().clone().readUtf8());
  }

  private int messageCount() {
    int count = 0;
    String cursor = null;
    do {
      var page = f.sb.messages().list(account.id(), conversation.id(), cursor, 100);
      count += page.items().size();
      cursor = page.nextCursor();
    } while (cursor != null);
    return count;
  }

  private List<Event> updatesOf(Message m) {
    return f.syncEvents(EventType.MESSAGE_UPDATED).stream()
        .filter(e -> e.message().id() == m.id()).toList();
  }

  // ------------------------------------------------------------------ delivery

  @Test
  void aReplyIsPostedOnceAsSignedJsonToTheWebhookUrl() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(200));

    Message sent = reply("Hi, how can I help?");

    RecordedRequest request = nextRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/hook");
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(request.getBody().clone().readUtf8());
    assertThat(body.get("event").asText()).isEqualTo("message_created");
    assertThat(body.get("id").asLong()).isEqualTo(sent.id());
    assertThat(body.get("content").asText()).isEqualTo("Hi, how can I help?");
    assertThat(body.get("message_type").asText()).isEqualTo("outgoing");
    assertThat(body.get("private").asBoolean()).isFalse();
    assertThat(body.at("/conversation/uuid").asText()).isEqualTo(conversation.uuid());
    assertThat(body.at("/conversation/id").asLong()).isEqualTo(conversation.displayId());
    assertThat(body.at("/contact/source_id").asText()).isEqualTo("contact-7");
    assertThat(body.at("/inbox/id").asLong()).isEqualTo(inbox.id());
    assertThat(body.at("/account/id").asLong()).isEqualTo(account.id());

    assertThat(request.getHeader("X-Switchboard-Timestamp")).matches("\\d+");
    assertThat(request.getHeader("X-Switchboard-Delivery")).isNotBlank();
    assertThat(request.getHeader("X-Switchboard-Signature"))
        .isEqualTo(expectedSignature(SECRET, request))
        .isNotEqualTo(expectedSignature("another-secret-of-16+chars", request));

    // one request only: the next reply is the next thing the receiver sees
    receiver.enqueue(new MockResponse().setResponseCode(200));
    Message second = reply("anything else?");
    RecordedRequest next = nextRequest();
    assertThat(JSON.readTree(next.getBody().readUtf8()).get("id").asLong()).isEqualTo(second.id());
    assertThat(receiver.getRequestCount()).isEqualTo(2);
    assertThat(message(sent.id()).status()).isEqualTo(MessageStatus.SENT);
  }

  @Test
  void theSignatureCoversTheTimestampSoAChangedTimestampDoesNotVerify() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(200));
    reply("signed");

    RecordedRequest request = nextRequest();
    String body = request.getBody().clone().readUtf8();
    long timestamp = Long.parseLong(request.getHeader("X-Switchboard-Timestamp"));
    assertThat(request.getHeader("X-Switchboard-Signature"))
        .isNotEqualTo("sha256=" + hmacHex(SECRET, (timestamp + 1) + "." + body))
        .isNotEqualTo("sha256=" + hmacHex(SECRET, body));
  }

  // ------------------------------------------------------------------ provider ids and statuses

  @Test
  void theReceiversSourceIdIsStoredAndStatusesOnlyMoveForward() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(200)
        .setHeader("Content-Type", "application/json").setBody("{\"source_id\":\"ext-1\"}"));
    Message sent = reply("tracked");
    nextRequest();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "ext-1".equals(message(sent.id()).sourceId()));

    Message delivered = f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-1", MessageStatus.DELIVERED, null)).orElseThrow();
    assertThat(delivered.id()).isEqualTo(sent.id());
    assertThat(delivered.status()).isEqualTo(MessageStatus.DELIVERED);

    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-1", MessageStatus.READ, null));
    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-1", MessageStatus.DELIVERED, null));
    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-1", MessageStatus.SENT, null));

    assertThat(message(sent.id()).status()).isEqualTo(MessageStatus.READ);
    assertThat(updatesOf(sent)).extracting(e -> e.message().status())
        .containsExactly(MessageStatus.DELIVERED, MessageStatus.READ);
  }

  @Test
  void aReadStatusArrivingBeforeTheDeliveredOneStaysRead() throws Exception {
    receiver.enqueue(new MockResponse().setBody("{\"source_id\":\"ext-2\"}"));
    Message sent = reply("out of order");
    nextRequest();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "ext-2".equals(message(sent.id()).sourceId()));

    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-2", MessageStatus.READ, null));
    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-2", MessageStatus.DELIVERED, null));

    assertThat(message(sent.id()).status()).isEqualTo(MessageStatus.READ);
  }

  @Test
  void aFailedStatusKeepsTheProvidersError() throws Exception {
    receiver.enqueue(new MockResponse().setBody("{\"source_id\":\"ext-3\"}"));
    Message sent = reply("will bounce");
    nextRequest();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "ext-3".equals(message(sent.id()).sourceId()));

    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-3", MessageStatus.FAILED, "131047: re-engagement message"));

    Message failed = message(sent.id());
    assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(failed.externalError()).isEqualTo("131047: re-engagement message");
  }

  @Test
  void aLateSentCallbackAfterAFailureKeepsTheMessageFailedWithItsError() throws Exception {
    receiver.enqueue(new MockResponse().setBody("{\"source_id\":\"ext-4\"}"));
    Message sent = reply("bounced, then a late sent callback");
    nextRequest();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "ext-4".equals(message(sent.id()).sourceId()));

    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-4", MessageStatus.FAILED, "131026: undeliverable"));
    f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("ext-4", MessageStatus.SENT, null));

    Message stored = message(sent.id());
    assertThat(stored.status()).isEqualTo(MessageStatus.FAILED);
    assertThat(stored.externalError()).isEqualTo("131026: undeliverable");
    assertThat(updatesOf(sent)).hasSize(1);
  }

  @Test
  void aStatusForAnUnknownSourceIdChangesNothing() {
    assertThat(f.sb.incoming().receiveStatus(account.id(), inbox.id(),
        new InboundStatus("never-sent", MessageStatus.READ, null))).isEmpty();
  }

  // ------------------------------------------------------------------ retries and failures

  @Test
  void aServerErrorIsRetriedWithTheSameDeliveryId() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(500).setBody("boom"));
    receiver.enqueue(new MockResponse().setBody("{\"source_id\":\"ext-retry\"}"));

    Message sent = reply("try again");

    RecordedRequest first = nextRequest();
    RecordedRequest second = nextRequest();
    assertThat(second.getHeader("X-Switchboard-Delivery"))
        .isEqualTo(first.getHeader("X-Switchboard-Delivery"));
    assertThat(second.getBody().clone().readUtf8()).isEqualTo(first.getBody().clone().readUtf8());
    assertThat(second.getHeader("X-Switchboard-Signature"))
        .isEqualTo(expectedSignature(SECRET, second));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "ext-retry".equals(message(sent.id()).sourceId()));
    Message stored = message(sent.id());
    assertThat(stored.status()).isEqualTo(MessageStatus.SENT);
    assertThat(stored.externalError()).isNull();
    assertThat(receiver.getRequestCount()).isEqualTo(2);
  }

  @Test
  void tooManyRequestsWithRetryAfterIsRetried() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
        .setBody("slow down"));
    receiver.enqueue(new MockResponse().setBody("{\"source_id\":\"ext-429\"}"));

    Message sent = reply("patience");

    nextRequest();
    nextRequest();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> "ext-429".equals(message(sent.id()).sourceId()));
    assertThat(message(sent.id()).status()).isEqualTo(MessageStatus.SENT);
  }

  @Test
  void aClientErrorFailsTheMessageAtOnceWithTheReceiversAnswer() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(400)
        .setBody("{\"error\":\"contact unknown\"}"));

    Message sent = reply("to nobody");

    nextRequest();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> message(sent.id()).status() == MessageStatus.FAILED);
    Message failed = message(sent.id());
    assertThat(failed.externalError()).contains("400").contains("contact unknown");
    // the sync listener runs on the worker thread right after the commit
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(updatesOf(sent)).singleElement().satisfies(e -> {
          assertThat(e.message().status()).isEqualTo(MessageStatus.FAILED);
          assertThat(e.changedAttributes()).containsKey("status");
        }));

    // not retried: the next request the receiver sees is the next reply
    receiver.enqueue(new MockResponse().setResponseCode(200));
    Message later = reply("later");
    RecordedRequest next = nextRequest();
    assertThat(JSON.readTree(next.getBody().readUtf8()).get("id").asLong()).isEqualTo(later.id());
    assertThat(receiver.getRequestCount()).isEqualTo(2);
    assertThat(f.sb.deadJobs(10)).isEmpty();
  }

  @Test
  void aRedirectIsNotFollowedAndFailsTheMessage() throws Exception {
    receiver.enqueue(new MockResponse().setResponseCode(302)
        .setHeader("Location", receiver.url("/elsewhere").toString()));

    Message sent = reply("moved?");

    assertThat(nextRequest().getPath()).isEqualTo("/hook");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> message(sent.id()).status() == MessageStatus.FAILED);
    assertThat(message(sent.id()).externalError()).contains("302");
    assertThat(receiver.getRequestCount()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ private networks

  @Test
  void aWebhookUrlOnALoopbackPrivateOrLinkLocalAddressIsRefusedUnlessPrivateNetworksAreAllowed() {
    // this class's fixture allows them (its inbox posts to the receiver on 127.0.0.1); the
    // default refuses them, as it does for account webhooks
    try (Fixture strict = new Fixture(newStore())) {
      Account a = strict.account("Strict");
      for (String url : List.of(receiver.url("/hook").toString(), "http://localhost:9/hook",
          "http://10.0.0.5/hook", "http://192.168.1.20/hook", "http://[::1]:8080/hook",
          "http://169.254.169.254/latest/meta-data")) {
        assertThatThrownBy(() -> strict.sb.admin().createInbox(a.id(), InboxDraft.of("API",
            ChannelType.API, Map.of(ApiChannel.WEBHOOK_URL, url, ApiChannel.WEBHOOK_SECRET, SECRET))))
            .as(url)
            .isInstanceOfSatisfying(ValidationException.class, e -> {
              assertThat(e.field()).isEqualTo(ApiChannel.WEBHOOK_URL);
              assertThat(e.getMessage()).contains("allowPrivateNetworkWebhooks");
            });
      }
      // a public address is accepted (no connection is made when saving)
      Inbox open = strict.sb.admin().createInbox(a.id(), InboxDraft.of("API", ChannelType.API,
          Map.of(ApiChannel.WEBHOOK_URL, "https://93.184.216.34/hook",
              ApiChannel.WEBHOOK_SECRET, SECRET)));
      assertThatThrownBy(() -> strict.sb.admin().updateInbox(a.id(), open.id(),
          InboxDraft.update().withSettings(Map.of(ApiChannel.WEBHOOK_URL, "http://127.0.0.1:1/x"))))
          .isInstanceOfSatisfying(ValidationException.class,
              e -> assertThat(e.field()).isEqualTo(ApiChannel.WEBHOOK_URL));
      assertThat(strict.sb.admin().inbox(a.id(), open.id()).setting(ApiChannel.WEBHOOK_URL))
          .isEqualTo("https://93.184.216.34/hook");
      assertThat(strict.syncEvents(EventType.INBOX_CREATED)).hasSize(1);
      assertThat(strict.syncEvents(EventType.INBOX_UPDATED)).isEmpty();
    }
  }

  @Test
  void aReceiverThatStaysDownFailsTheMessageWithTheLastErrorOnceRetriesRunOut() throws Exception {
    for (int i = 0; i < Fixture.FAST_RETRY.maxAttempts(); i++) {
      receiver.enqueue(new MockResponse().setResponseCode(503).setBody("maintenance " + i));
    }

    Message sent = reply("into the void");

    await().atMost(Duration.ofSeconds(20))
        .until(() -> message(sent.id()).status() == MessageStatus.FAILED);
    assertThat(receiver.getRequestCount()).isEqualTo(Fixture.FAST_RETRY.maxAttempts());
    assertThat(message(sent.id()).externalError())
        .contains("503")
        .contains("maintenance " + (Fixture.FAST_RETRY.maxAttempts() - 1));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(updatesOf(sent)).extracting(e -> e.message().status())
            .containsExactly(MessageStatus.FAILED));
  }

  @Test
  void anUnreachableReceiverFailsTheMessageOnceRetriesRunOut() throws Exception {
    receiver.shutdown();

    Message sent = reply("nobody listens");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> message(sent.id()).status() == MessageStatus.FAILED);
    assertThat(message(sent.id()).externalError()).isNotBlank();
  }

  // ------------------------------------------------------------------ never sent

  @Test
  void privateNotesAndEchoesAreNeverPosted() throws Exception {
    Message note = f.sb.messages().note(account.id(), conversation.id(), "internal only",
        Actor.user(anna));
    Message echo = f.sb.messages().reply(account.id(), conversation.id(),
        MessageDraft.builder().content("sent from the phone").sourceId("echo-1").build(),
        Actor.user(anna));
    receiver.enqueue(new MockResponse().setResponseCode(200));
    Message normal = reply("a normal reply");

    RecordedRequest request = nextRequest();
    assertThat(JSON.readTree(request.getBody().readUtf8()).get("id").asLong())
        .isEqualTo(normal.id());
    // a send job for the note or the echo would have run before this one
    assertThat(receiver.getRequestCount()).isEqualTo(1);
    assertThat(message(note.id()).privateNote()).isTrue();
    assertThat(message(echo.id()).sourceId()).isEqualTo("echo-1");
    assertThat(message(echo.id()).status()).isEqualTo(MessageStatus.SENT);
  }

  @Test
  void anApiInboxWithoutWebhookUrlStoresRepliesAsSent() throws Exception {
    Inbox plain = f.apiInbox(account.id());
    Message in = f.incoming(plain, "contact-8", "in-plain", "hello");
    Message sent = f.sb.messages().reply(account.id(), in.conversationId(),
        MessageDraft.text("stored only"), Actor.user(anna));
    // a reply in the signed inbox, queued after, shows the send jobs have run
    receiver.enqueue(new MockResponse().setResponseCode(200));
    reply("marker");
    nextRequest();

    await().atMost(Duration.ofSeconds(10)).until(() -> f.sb.deadJobs(10).isEmpty());
    Message stored = message(sent.id());
    assertThat(stored.status()).isEqualTo(MessageStatus.SENT);
    assertThat(stored.externalError()).isNull();
    assertThat(stored.content()).isEqualTo("stored only");
    assertThat(updatesOf(sent)).isEmpty();
    assertThat(receiver.getRequestCount()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ validation

  @Test
  void contentOverTheLimitIsRejected() {
    String tooLong = "x".repeat(Message.MAX_CONTENT_LENGTH + 1);

    assertThatThrownBy(() -> reply(tooLong))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("content"));
    assertThat(f.sb.messages().list(account.id(), conversation.id(), null, 50).items())
        .hasSize(1);
  }

  @Test
  void aRawInReplyToMustBeAMessageOfTheConversationAndTheExternalIdIsNeverTakenFromTheDraft()
      throws Exception {
    Message question = f.incoming(inbox, "contact-7", "their-question", "which size?");
    Message other = f.incoming(inbox, "contact-9", "elsewhere", "unrelated");
    assertThatThrownBy(() -> f.sb.messages().reply(account.id(), conversation.id(),
        MessageDraft.builder().content("x").contentAttribute("in_reply_to", "abc").build(),
        Actor.user(anna)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("in_reply_to"));
    assertThatThrownBy(() -> f.sb.messages().reply(account.id(), conversation.id(),
        MessageDraft.builder().content("x").contentAttribute("in_reply_to", other.id()).build(),
        Actor.user(anna)))
        .isInstanceOf(io.switchboard.NotFoundException.class);

    receiver.enqueue(new MockResponse().setResponseCode(200));
    Message answer = f.sb.messages().reply(account.id(), conversation.id(),
        MessageDraft.builder().content("size M").contentAttribute("in_reply_to", question.id())
            .contentAttribute("in_reply_to_external_id", "forged").build(), Actor.user(anna));

    assertThat(answer.contentAttributes()).containsEntry("in_reply_to", question.id())
        .containsEntry("in_reply_to_external_id", "their-question");
    assertThat(JSON.readTree(nextRequest().getBody().readUtf8()).get("id").asLong())
        .isEqualTo(answer.id());
    assertThat(messageCount()).isEqualTo(3);
  }

  @Test
  void anEchoStoredTwiceIsOneMessageAndAContactCannotReply() {
    MessageDraft echo = MessageDraft.builder().content("sent from the phone")
        .sourceId("echo-twice").build();
    Message first = f.sb.messages().reply(account.id(), conversation.id(), echo, Actor.user(anna));
    Message again = f.sb.messages().reply(account.id(), conversation.id(), echo, Actor.user(anna));

    assertThat(again).isEqualTo(first);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED).stream()
        .filter(e -> e.message().id() == first.id())).hasSize(1);
    Contact contact = f.sb.contacts().get(account.id(), conversation.contactId());
    assertThatThrownBy(() -> f.sb.messages().reply(account.id(), conversation.id(),
        MessageDraft.text("as the contact"), Actor.contact(contact)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("performer"));
  }

  @Test
  void contentAtTheLimitIsAccepted() {
    Message note = f.sb.messages().note(account.id(), conversation.id(),
        "x".repeat(Message.MAX_CONTENT_LENGTH), Actor.user(anna));

    assertThat(message(note.id()).content()).hasSize(Message.MAX_CONTENT_LENGTH);
  }

  @Test
  void sixteenAttachmentsAreRejected() {
    MessageDraft.Builder draft = MessageDraft.builder().content("files");
    for (int i = 0; i < Message.MAX_ATTACHMENTS + 1; i++) {
      draft.attachment(Attachment.of(AttachmentType.FILE, "https://files.test/" + i + ".pdf",
          i + ".pdf", "application/pdf"));
    }

    assertThatThrownBy(() -> f.sb.messages().reply(account.id(), conversation.id(),
        draft.build(), Actor.user(anna)))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("attachments"));
  }

  @Test
  void theTwoHundredAndFirstMessageOfAConversationWithinAMinuteIsRateLimited() {
    // the incoming message of setUp is the first; notes keep HTTP out of the test
    for (int i = 2; i <= 200; i++) {
      f.sb.messages().note(account.id(), conversation.id(), "note " + i, Actor.user(anna));
    }
    assertThat(messageCount()).isEqualTo(200);

    assertThatThrownBy(() -> f.sb.messages().note(account.id(), conversation.id(), "one too many",
        Actor.user(anna)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.conversationId()).isEqualTo(conversation.id());
          assertThat(e.limit()).isEqualTo(200);
        });
    assertThat(messageCount()).isEqualTo(200);
  }
}
