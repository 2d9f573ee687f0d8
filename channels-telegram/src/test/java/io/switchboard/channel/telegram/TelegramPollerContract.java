package io.switchboard.channel.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.InboxDraft;
import io.switchboard.event.EventType;
import io.switchboard.jdbi.Fixture;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Long polling against a fake Bot API that serves recorded updates by offset. */
abstract class TelegramPollerContract {
  static final ObjectMapper JSON = new ObjectMapper();

  MockWebServer telegram;
  FakeBotApi api;
  Fixture f;
  Account account;
  Inbox inbox;
  TelegramPoller poller;

  abstract Store newStore();

  @BeforeEach
  void setUp() throws IOException {
    api = new FakeBotApi();
    telegram = new MockWebServer();
    telegram.setDispatcher(api);
    telegram.start();
    f = new Fixture(newStore(), b -> b.channel(TelegramChannel.create(
        TelegramConfig.defaults().withBaseUrl(telegram.url("/").toString()))));
    account = f.account("Acme");
    inbox = f.sb.admin().createInbox(account.id(), InboxDraft.of("Acme bot", ChannelType.TELEGRAM,
        Map.of(TelegramChannel.BOT_TOKEN, Updates.BOT_TOKEN,
            TelegramChannel.SECRET_TOKEN, Updates.SECRET)));
  }

  @AfterEach
  void tearDown() throws IOException {
    if (poller != null) {
      poller.close();
    }
    f.close();
    telegram.shutdown();
  }

  /** Serves the updates it holds from the requested offset on, as getUpdates does. */
  static final class FakeBotApi extends Dispatcher {
    final List<String> updates = new CopyOnWriteArrayList<>();
    final List<Long> offsets = new CopyOnWriteArrayList<>();
    final List<String> answered = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      try {
        JsonNode params = JSON.readTree(request.getBody().readUtf8());
        if (request.getPath().equals("/bot" + Updates.BOT_TOKEN + "/getUpdates")) {
          long offset = params.path("offset").asLong(0);
          offsets.add(offset);
          List<String> due = updates.stream().filter(u -> updateId(u) >= offset).toList();
          MockResponse response = ok("[" + String.join(",", due) + "]");
          return due.isEmpty() ? response.setBodyDelay(50, java.util.concurrent.TimeUnit.MILLISECONDS)
              : response;
        }
        if (request.getPath().equals("/bot" + Updates.BOT_TOKEN + "/answerCallbackQuery")) {
          answered.add(params.path("callback_query_id").asText());
          return ok("true");
        }
      } catch (IOException e) {
        return new MockResponse().setResponseCode(400);
      }
      return new MockResponse().setResponseCode(404)
          .setBody("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
    }

    /**
     * Whether a request asked from {@code later} after one asked from {@code first}, read from a
     * snapshot: the poller goes on asking while a test reads.
     */
    boolean askedAfter(long first, long later) {
      List<Long> asked = List.copyOf(offsets);
      int from = asked.indexOf(first);
      return from >= 0 && asked.subList(from, asked.size()).contains(later);
    }

    private static long updateId(String update) {
      try {
        return JSON.readTree(update).path("update_id").asLong();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private static MockResponse ok(String result) {
      return new MockResponse().setHeader("Content-Type", "application/json")
          .setBody("{\"ok\":true,\"result\":" + result + "}");
    }
  }

  TelegramPoller start() {
    poller = TelegramPoller.start(f.sb, inbox, Duration.ZERO, Duration.ofMillis(100));
    return poller;
  }

  List<String> createdSourceIds() {
    return f.syncEvents(EventType.MESSAGE_CREATED).stream().map(e -> e.message())
        .map(Message::sourceId).toList();
  }

  String storedOffset() {
    return f.sb.channelContext().state().get(TelegramPoller.offsetKey(inbox)).orElse(null);
  }

  @Test
  void polledUpdatesGoThroughThePipelineAndTheOffsetIsStoredPastUnknownTypes() {
    api.updates.addAll(List.of(Updates.json("text"), Updates.json("reply"),
        Updates.json("callback_query"), Updates.json("unknown_update")));

    start();

    await().atMost(Duration.ofSeconds(20)).until(() -> "500022".equals(storedOffset()));
    assertThat(createdSourceIds()).containsExactly("111:1", "111:2",
        "callback:4382bfdwdsb323b2d9");
    assertThat(api.answered).containsExactly("4382bfdwdsb323b2d9");
  }

  @Test
  void aRestartResumesFromTheStoredOffsetWithNoLossAndNoRepeat() {
    api.updates.addAll(List.of(Updates.json("text"), Updates.json("reply")));
    start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "500003".equals(storedOffset()));
    poller.close();

    api.updates.addAll(List.of(Updates.json("business_message_in"),
        Updates.json("business_message_out")));
    int before = api.offsets.size();
    start();

    await().atMost(Duration.ofSeconds(20)).until(() -> "500019".equals(storedOffset()));
    // never from the beginning again: every request after the restart starts at the offset
    // (a snapshot: the poller goes on asking, and a view of the live list would then fail)
    List<Long> offsets = List.copyOf(api.offsets);
    assertThat(offsets.subList(before, offsets.size())).isNotEmpty()
        .allMatch(offset -> offset >= 500003L);
    assertThat(createdSourceIds()).containsExactly("111:1", "111:2", "222:301", "222:302");
  }

  @Test
  void aBatchStoredBeforeACrashIsFetchedAgainAndCreatesNothingTwice() {
    api.updates.addAll(List.of(Updates.json("text"), Updates.json("reply")));
    start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "500003".equals(storedOffset()));
    poller.close();
    // the process died after storing the batch but before storing its offset
    f.sb.channelContext().state().put(TelegramPoller.offsetKey(inbox), "500001");
    assertThat(api.offsets).doesNotContain(500001L);

    start();

    // the mock server may record the first poller's cancelled request late, so look for the
    // new poller's requests by value: it asks from the stored offset, then moves past the batch
    await().atMost(Duration.ofSeconds(20)).until(() -> "500003".equals(storedOffset())
        && api.askedAfter(500001L, 500003L));
    assertThat(createdSourceIds()).containsExactly("111:1", "111:2");
  }

  @Test
  void aReFetchedBatchWithTwoEditsKeepsTheNewestContentAndEmitsNoMoreUpdates() {
    api.updates.addAll(List.of(Updates.json("text"), Updates.json("edited_message"),
        Updates.json("edited_message_again")));
    start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "500024".equals(storedOffset()));
    poller.close();
    assertThat(f.syncEvents(EventType.MESSAGE_UPDATED)).hasSize(2);
    // the process died after storing the batch but before storing its offset
    f.sb.channelContext().state().put(TelegramPoller.offsetKey(inbox), "500001");

    start();

    await().atMost(Duration.ofSeconds(20)).until(() -> "500024".equals(storedOffset())
        && api.askedAfter(500001L, 500024L));
    Message message = f.syncEvents(EventType.MESSAGE_CREATED).get(0).message();
    assertThat(f.sb.messages().get(account.id(), message.id()).content())
        .isEqualTo("Hello there, where is my order #43?");
    assertThat(f.syncEvents(EventType.MESSAGE_UPDATED)).as("the replayed edits change nothing")
        .hasSize(2);
    assertThat(createdSourceIds()).containsExactly("111:1");
  }

  @Test
  void anUpdateThatCannotBeParsedIsSkippedAndTheOffsetMovesPastIt() {
    // the last update of the batch names its sender with an empty id: no contact can be made
    api.updates.addAll(List.of(Updates.json("text"), Updates.json("sender_without_id")));
    start();

    await().atMost(Duration.ofSeconds(20)).until(() -> "500025".equals(storedOffset()));
    assertThat(createdSourceIds()).containsExactly("111:1");

    api.updates.add(Updates.json("text_again"));
    await().atMost(Duration.ofSeconds(20)).until(() -> "500051".equals(storedOffset()));
    assertThat(createdSourceIds()).containsExactly("111:1", "111:2");
    assertThat(api.offsets).as("the update that cannot be parsed is never fetched again")
        .noneMatch(offset -> offset > 0 && offset <= 500024L);
  }
}
