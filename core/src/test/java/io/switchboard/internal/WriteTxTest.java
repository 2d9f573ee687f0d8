package io.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Actor;
import io.switchboard.model.ChannelType;
import io.switchboard.model.ContentType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.model.MessageType;
import io.switchboard.model.SenderType;
import io.switchboard.store.EventRecord;
import io.switchboard.store.JobRecord;
import io.switchboard.store.RoutedInbox;
import io.switchboard.store.StoreTx;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A write transaction's events: written in one batch when it flushes, with their outbox jobs,
 * and queued for the webhook listener as the webhooks' routing lookups said.
 */
class WriteTxTest {
  private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");
  private static final Inbox INBOX = new Inbox(5, 1, "WhatsApp", ChannelType.WHATSAPP, "rk",
      Map.of(), false, false, false, null, false, NOW, NOW);

  private final List<List<EventRecord>> batches = new ArrayList<>();
  private final List<JobRecord> jobs = new ArrayList<>();
  private final List<String> asked = new ArrayList<>();
  private boolean targets;

  /** A store that records event batches and jobs, and answers the webhook-target question. */
  private final StoreTx store = (StoreTx) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {StoreTx.class}, (proxy, method, args) -> {
        switch (method.getName()) {
          case "appendEvents" -> {
            @SuppressWarnings("unchecked")
            List<EventRecord> batch = List.copyOf((List<EventRecord>) args[0]);
            batches.add(batch);
            long[] sequences = new long[batch.size()];
            for (int i = 0; i < sequences.length; i++) {
              sequences[i] = 100 + i;
            }
            return sequences;
          }
          case "insertJob" -> {
            jobs.add((JobRecord) args[0]);
            return (long) jobs.size();
          }
          case "hasWebhookTargets" -> {
            asked.add(args[0] + ":" + args[1]);
            return targets;
          }
          default -> throw new AssertionError("unexpected store call " + method.getName());
        }
      });

  private WriteTx tx() {
    return new WriteTx(store, NOW, List.of(new AsyncListener("webhooks", new WebhookFanout())));
  }

  private static Message message(long id) {
    return new Message(id, 1, 5, 3, MessageType.INCOMING, ContentType.TEXT, "hi", Map.of(),
        false, MessageStatus.SENT, "wamid." + id, SenderType.CONTACT, 9L, List.of(), NOW, NOW);
  }

  private void emitMessage(WriteTx tx, long id) {
    tx.emit(EventType.MESSAGE_CREATED, 1, 5L, 3L, message(id), Map.of(), Actor.system());
  }

  @Test
  void eventsAreWrittenInOneBatchWhenTheTransactionFlushesAndCarryTheirSequences() {
    targets = true;
    WriteTx tx = tx();
    emitMessage(tx, 7);
    emitMessage(tx, 8);

    assertThat(batches).isEmpty();
    assertThat(tx.emitted()).isEqualTo(2);
    assertThatThrownBy(tx::events).isInstanceOf(IllegalStateException.class);

    tx.flush();

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0)).extracting(EventRecord::type)
        .containsExactly("message.created", "message.created");
    assertThat(tx.events()).extracting(Event::sequence).containsExactly(100L, 101L);
    assertThat(tx.events()).extracting(e -> ((Message) e.data()).id()).containsExactly(7L, 8L);
    assertThat(jobs).extracting(JobRecord::payload).containsExactly("100", "101");
    assertThat(asked).containsExactly("1:5");
  }

  @Test
  void aYesFromAnyRouteOfASharedTransactionQueuesTheEventForTheWebhooks() {
    WriteTx tx = tx();
    tx.knownRoute(new RoutedInbox(INBOX, false, false));
    tx.knownRoute(new RoutedInbox(INBOX, true, false));
    emitMessage(tx, 7);
    tx.flush();

    assertThat(jobs).extracting(JobRecord::payload).containsExactly("100");
    assertThat(asked).isEmpty();
  }

  @Test
  void aBotOfTheInboxCountsForItsEventsButNotForTheAccountsOthers() {
    WriteTx tx = tx();
    tx.knownRoute(new RoutedInbox(INBOX, false, true));
    emitMessage(tx, 7);
    tx.emit(EventType.CONTACT_CREATED, 1, null, null, new io.switchboard.model.Contact(9, 1,
        "Ana", null, null, null, io.switchboard.model.ContactType.VISITOR, Map.of(), Map.of(),
        false, null, NOW, NOW), Map.of(), Actor.system());
    tx.flush();

    assertThat(jobs).extracting(JobRecord::payload).containsExactly("100");
    assertThat(asked).isEmpty();
  }

  @Test
  void whenEveryRouteSaysNoNothingIsQueuedAndTheStoreIsNotAsked() {
    targets = true;
    WriteTx tx = tx();
    tx.knownRoute(new RoutedInbox(INBOX, false, false));
    tx.knownRoute(new RoutedInbox(INBOX, false, false));
    emitMessage(tx, 7);
    tx.flush();

    assertThat(jobs).isEmpty();
    assertThat(asked).isEmpty();
    assertThat(tx.inbox(1, 5)).contains(INBOX);
  }

  @Test
  void workThatJoinsLaterRunsAtItsOwnTimeNeverEarlierAndItsEventsKeepTheirTimes() {
    targets = true;
    WriteTx tx = tx();
    emitMessage(tx, 7);
    Instant later = NOW.plusMillis(40);
    tx.advanceTo(later, false);
    assertThat(tx.now()).isEqualTo(later);
    tx.advanceTo(NOW, true);
    assertThat(tx.now()).isEqualTo(later);
    emitMessage(tx, 8);
    tx.flush();

    assertThat(batches.get(0)).extracting(EventRecord::createdAt).containsExactly(NOW, later);
    assertThat(tx.events()).extracting(Event::occurredAt).containsExactly(NOW, later);
    assertThat(jobs).extracting(JobRecord::runAt).containsExactly(NOW, later);
  }

  @Test
  void aNoIsAskedAgainForWorkThatJoinedLateAndAYesIsKept() {
    WriteTx tx = tx();
    emitMessage(tx, 7);
    // work queued before the transaction began uses the answer it got
    tx.advanceTo(NOW.plusMillis(2), false);
    emitMessage(tx, 8);
    assertThat(asked).containsExactly("1:5");
    // a webhook created meanwhile: work that joined late asks again and queues its event
    targets = true;
    tx.advanceTo(NOW.plusMillis(5), true);
    emitMessage(tx, 9);
    tx.advanceTo(NOW.plusMillis(9), true);
    emitMessage(tx, 10);
    tx.flush();

    assertThat(asked).containsExactly("1:5", "1:5");
    assertThat(jobs).extracting(JobRecord::payload).containsExactly("102", "103");
  }
}
