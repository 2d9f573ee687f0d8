package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.InboxDraft;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Attachment;
import io.switchboard.model.AttachmentType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What core offers channel modules: durable state, polled ingestion, attachment downloads. */
abstract class ChannelSupportContract {
  Fixture f;
  TestChannel channel;
  Account account;
  Inbox inbox;

  abstract Store newStore();

  @BeforeEach
  void setUp() {
    channel = new TestChannel();
    f = new Fixture(newStore(), b -> b.channel(channel));
    account = f.account("Acme");
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("Bot", TestChannel.TYPE,
        Map.of("bot", "bot-s", "secret", "s3cret-token")));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void channelStateIsStoredReplacedAndReadBack() {
    var state = f.sb.channelContext().state();
    assertThat(state.get("test:" + inbox.id() + ":offset")).isEmpty();
    state.put("test:" + inbox.id() + ":offset", "41");
    state.put("test:" + inbox.id() + ":offset", "42");
    assertThat(state.get("test:" + inbox.id() + ":offset")).contains("42");
  }

  @Test
  void polledEventsAreIngestedOnceHoweverOftenTheyAreHandedOver() {
    List<RoutedEvent> events = List.of(RoutedEvent.of(inbox, InboundMessage.text("poll-1",
        InboundContact.of("77", "Polly"), "from a poll")));
    byte[] raw = "{\"update_id\":1}".getBytes(StandardCharsets.UTF_8);
    f.sb.incoming().ingest(TestChannel.TYPE, "getUpdates", raw, events);
    f.sb.incoming().ingest(TestChannel.TYPE, "getUpdates", raw, events);

    assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(1);
    assertThat(f.syncEvents(EventType.MESSAGE_CREATED).get(0).message().content())
        .isEqualTo("from a poll");
  }

  @Test
  void aPendingAttachmentIsDownloadedInTheBackgroundAndRetriedAfterAnOutage() throws Exception {
    channel.failingFetches.set(2);
    Attachment pending = new Attachment(0, 0, 0, AttachmentType.IMAGE, null, null, "photo.jpg",
        "image/jpeg", null, null, null, Map.of(Attachment.PENDING_FETCH, true, "file_id", "F1"));
    Message stored = f.sb.incoming().receive(account.id(), inbox.id(), new InboundMessage("att-1",
        InboundContact.of("78", "Pic"), null, ContentType.TEXT, Map.of(), List.of(pending),
        Map.of(), false, null));
    assertThat(stored.attachments()).singleElement()
        .satisfies(a -> assertThat(a.blobKey()).isNull());

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(f.sb.messages().get(account.id(), stored.id()).attachments().get(0).blobKey())
            .isNotNull());
    Attachment done = f.sb.messages().get(account.id(), stored.id()).attachments().get(0);
    assertThat(done.pendingFetch()).isFalse();
    assertThat(done.fileSize()).isEqualTo(7L);
    try (var in = f.sb.channelContext().blobs().open(account.id(), done.blobKey()).orElseThrow()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("file:F1");
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(f.syncEvents(EventType.MESSAGE_UPDATED)).isNotEmpty());
  }
}
