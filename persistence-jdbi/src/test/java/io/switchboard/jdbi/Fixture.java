package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.InboxDraft;
import io.switchboard.RetryPolicy;
import io.switchboard.Switchboard;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.api.ApiChannel;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.store.EventRecord;
import io.switchboard.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Switchboard on a test store with the API channel, fast retries and recording listeners.
 * Close it after each test.
 */
public final class Fixture implements AutoCloseable {
  /** Retries quickly so that tests of retry behaviour finish in moments. */
  public static final RetryPolicy FAST_RETRY =
      new RetryPolicy(5, Duration.ofMillis(50), Duration.ofMillis(400), 0.1);

  public final Switchboard sb;
  /** The store {@link #sb} runs on. */
  public final Store store;
  /** Events seen by a sync listener, in order. */
  public final List<Event> syncEvents = new CopyOnWriteArrayList<>();
  /** Events delivered to an async listener named {@code recorder}. */
  public final List<Event> asyncEvents = new CopyOnWriteArrayList<>();

  public Fixture(Store store) {
    this(store, b -> {});
  }

  public Fixture(Store store, Consumer<Switchboard.Builder> customize) {
    this.store = store;
    Switchboard.Builder b = Switchboard.builder()
        .store(store)
        .channel(ApiChannel.create())
        .retryPolicy(FAST_RETRY)
        .pollInterval(Duration.ofMillis(50))
        .syncListener(syncEvents::add)
        .asyncListener("recorder", asyncEvents::add);
    customize.accept(b);
    sb = b.build();
  }

  public Account account(String name) {
    return sb.admin().createAccount(name);
  }

  public Inbox apiInbox(long accountId) {
    return sb.admin().createInbox(accountId, InboxDraft.of("API", ChannelType.API, Map.of()));
  }

  public Inbox apiInbox(long accountId, InboxDraft draft) {
    return sb.admin().createInbox(accountId, draft);
  }

  /** Delivers an incoming text from {@code sourceId} with provider id {@code messageId}. */
  public Message incoming(Inbox inbox, String contactSourceId, String messageId, String text) {
    return sb.incoming().receive(inbox.accountId(), inbox.id(),
        InboundMessage.text(messageId, InboundContact.of(contactSourceId, "Customer " + contactSourceId), text));
  }

  /**
   * Delivers a first message from a new contact to a new API inbox of the account, and returns
   * the display id of the conversation it starts.
   */
  public long firstDisplayId(long accountId) {
    Message first = incoming(apiInbox(accountId), "c-1", "m-1", "hello");
    return sb.conversations().get(accountId, first.conversationId()).displayId();
  }

  /**
   * An email at its parser's limits: content and three content attributes (text, reply, HTML)
   * of {@link Message#MAX_CONTENT_LENGTH} quotes each, which JSON escaping doubles, so that its
   * event is more than a million characters long.
   */
  public static InboundMessage largeEmail(String sourceId) {
    String quotes = "\"".repeat(Message.MAX_CONTENT_LENGTH);
    Map<String, Object> email = Map.of(
        "text_content", Map.of("full", quotes, "reply", quotes),
        "html_content", Map.of("full", quotes));
    return new InboundMessage(sourceId, InboundContact.of("lena@mail.test", "Lena"), quotes,
        null, Map.of("email", email), List.of(), Map.of(), false, null);
  }

  /** Asserts that {@code stored}, received as {@code in}, reads back whole with its event. */
  public void assertStoredWithItsEvent(InboundMessage in, Message stored) {
    Message read = sb.messages().get(stored.accountId(), stored.id());
    assertThat(read.content()).isEqualTo(in.content());
    assertThat(read.contentAttributes()).isEqualTo(in.contentAttributes());
    List<EventRecord> events = store.read(tx -> tx.listEvents(stored.accountId(), 0, 100));
    assertThat(events).filteredOn(e -> e.type().equals(EventType.MESSAGE_CREATED.wireName()))
        .singleElement()
        .satisfies(e -> assertThat(e.payload().length()).isGreaterThan(1_000_000));
  }

  /**
   * The sync events from index {@code mark} on, as a snapshot: listeners may add more while a
   * test reads (a view of the live list would then fail).
   */
  public List<Event> syncEventsFrom(int mark) {
    List<Event> all = List.copyOf(syncEvents);
    return all.subList(Math.min(mark, all.size()), all.size());
  }

  public List<Event> syncEvents(EventType type) {
    return syncEvents.stream().filter(e -> e.type() == type).toList();
  }

  public List<Event> asyncEvents(EventType type) {
    return asyncEvents.stream().filter(e -> e.type() == type).toList();
  }

  @Override
  public void close() {
    sb.close();
  }
}
