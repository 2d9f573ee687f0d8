package io.switchboard.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.MessageDraft;
import io.switchboard.ValidationException;
import io.switchboard.channel.InboundStatus;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.model.Account;
import io.switchboard.model.Actor;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.model.MessageStatus;
import io.switchboard.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Listener isolation, at-least-once async delivery, and monotone statuses. */
abstract class ReliabilityContract {

  abstract Store newStore();

  @Test
  void aThrowingSyncListenerStopsNeitherIngestionNorTheOtherListeners() {
    List<Event> after = new CopyOnWriteArrayList<>();
    try (Fixture f = new Fixture(newStore(), b -> b
        .syncListener(e -> {
          throw new IllegalStateException("listener bug");
        })
        .syncListener(after::add))) {
      Account a = f.account("Acme");
      Inbox inbox = f.apiInbox(a.id());
      Message first = f.incoming(inbox, "c1", "m1", "one");
      Message second = f.incoming(inbox, "c1", "m2", "two");

      assertThat(second.conversationId()).isEqualTo(first.conversationId());
      assertThat(after.stream().filter(e -> e.type() == EventType.MESSAGE_CREATED)).hasSize(2);
      assertThat(f.syncEvents(EventType.MESSAGE_CREATED)).hasSize(2);
    }
  }

  @Test
  void anAsyncListenerThatAlwaysFailsNeverDelaysAnotherAndEndsAsDeadJobs() {
    AtomicInteger attempts = new AtomicInteger();
    try (Fixture f = new Fixture(newStore(), b -> b.asyncListener("broken", e -> {
      attempts.incrementAndGet();
      throw new IllegalStateException("receiver down");
    }))) {
      Account a = f.account("Acme");
      Inbox inbox = f.apiInbox(a.id());
      f.incoming(inbox, "c1", "m1", "one");
      f.incoming(inbox, "c1", "m2", "two");

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(f.asyncEvents(EventType.MESSAGE_CREATED)).hasSize(2));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(f.sb.deadJobs(100)).filteredOn(j -> "broken".equals(j.target()))
              .isNotEmpty()
              .allSatisfy(j -> assertThat(j.lastError()).contains("receiver down")));
      assertThat(attempts.get()).isGreaterThanOrEqualTo(Fixture.FAST_RETRY.maxAttempts());
    }
  }

  @Test
  void anAsyncListenerThatFailsTwiceGetsTheEventOnTheThirdAttempt() {
    AtomicInteger calls = new AtomicInteger();
    List<String> delivered = new CopyOnWriteArrayList<>();
    try (Fixture f = new Fixture(newStore(), b -> b.asyncListener("flaky", new io.switchboard.event.Listener() {
      @Override
      public boolean accepts(EventType type) {
        return type == EventType.MESSAGE_CREATED;
      }

      @Override
      public void onEvent(Event e) {
        if (calls.incrementAndGet() <= 2) {
          throw new IllegalStateException("temporary");
        }
        delivered.add(e.id());
      }
    }))) {
      Account a = f.account("Acme");
      Message m = f.incoming(f.apiInbox(a.id()), "c1", "m1", "one");

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(delivered).hasSize(1));
      Event created = f.syncEvents(EventType.MESSAGE_CREATED).get(0);
      assertThat(delivered).containsExactly(created.id());
      assertThat(created.message().id()).isEqualTo(m.id());
    }
  }

  @Test
  void asyncEventsCarryTheSameIdsSequencesAndSnapshotsAsSyncEvents() {
    try (Fixture f = new Fixture(newStore())) {
      Account a = f.account("Acme");
      Message m = f.incoming(f.apiInbox(a.id()), "c1", "m1", "one");
      f.sb.conversations().setPriority(a.id(), m.conversationId(),
          io.switchboard.model.Priority.HIGH, Actor.system());

      // async delivery is at least once: compare the events, not how many deliveries arrived
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(f.asyncEvents.stream().map(Event::id).collect(Collectors.toSet()))
              .isEqualTo(f.syncEvents.stream().map(Event::id).collect(Collectors.toSet())));
      // async events come in any order (several workers): pair them with the sync ones by id
      for (Event sync : f.syncEvents) {
        Event async = f.asyncEvents.stream().filter(e -> e.id().equals(sync.id())).findFirst()
            .orElseThrow();
        assertThat(async.type()).isEqualTo(sync.type());
        assertThat(async.sequence()).isEqualTo(sync.sequence());
        if (sync.type() == EventType.MESSAGE_CREATED) {
          assertThat(async.message()).isEqualTo(sync.message());
        }
      }
      assertThat(f.asyncEvents(EventType.MESSAGE_CREATED)).anySatisfy(e ->
          assertThat(e.message().id()).isEqualTo(m.id()));
      assertThat(f.asyncEvents(EventType.CONVERSATION_UPDATED)).anySatisfy(e ->
          assertThat(e.changedAttributes().get("priority").current()).isEqualTo("high"));
    }
  }

  @Test
  void aStatusNeverMovesBackAndAFailureKeepsTheProvidersError() {
    try (Fixture f = new Fixture(newStore())) {
      Account a = f.account("Acme");
      Inbox inbox = f.apiInbox(a.id());
      Message in = f.incoming(inbox, "c1", "m1", "hi");
      Message out = f.sb.messages().reply(a.id(), in.conversationId(),
          MessageDraft.builder().content("sent elsewhere").sourceId("ext-1").build(), Actor.system());

      f.sb.incoming().receiveStatus(a.id(), inbox.id(), new InboundStatus("ext-1", MessageStatus.READ, null));
      Message late = f.sb.incoming().receiveStatus(a.id(), inbox.id(),
          new InboundStatus("ext-1", MessageStatus.DELIVERED, null)).orElseThrow();
      assertThat(late.status()).isEqualTo(MessageStatus.READ);
      Message failedLate = f.sb.incoming().receiveStatus(a.id(), inbox.id(),
          new InboundStatus("ext-1", MessageStatus.FAILED, "131047: too late")).orElseThrow();
      assertThat(failedLate.status()).isEqualTo(MessageStatus.READ);
      assertThat(f.syncEvents(EventType.MESSAGE_UPDATED)).hasSize(1);

      Message other = f.sb.messages().reply(a.id(), in.conversationId(),
          MessageDraft.builder().content("second").sourceId("ext-2").build(), Actor.system());
      Message failed = f.sb.messages().updateStatus(a.id(), other.id(), MessageStatus.FAILED,
          "131026: Message undeliverable");
      assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
      assertThat(failed.externalError()).isEqualTo("131026: Message undeliverable");
      assertThat(f.sb.messages().get(a.id(), other.id()).externalError())
          .isEqualTo("131026: Message undeliverable");
      assertThatThrownBy(() -> f.sb.messages().updateStatus(a.id(), out.id(), MessageStatus.FAILED, " "))
          .isInstanceOf(ValidationException.class);
      assertThat(f.sb.incoming().receiveStatus(a.id(), inbox.id(),
          new InboundStatus("unknown-id", MessageStatus.READ, null))).isEmpty();
    }
  }
}
