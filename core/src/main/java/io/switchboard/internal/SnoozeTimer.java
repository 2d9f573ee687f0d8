package io.switchboard.internal;

import io.switchboard.model.Actor;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopens snoozed conversations whose {@code snoozed_until} has passed, as Chatwoot's
 * {@code ReopenSnoozedConversationsJob} does: status {@code open}, {@code snoozed_until}
 * cleared, the events of a status change, performed by the system, and (as in Chatwoot) no
 * activity message. The wake-up time is in the store, so a snooze that ends while no process
 * runs is reopened at the next start. Several processes may run it at once: each conversation
 * is locked and checked again before it changes.
 */
public final class SnoozeTimer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SnoozeTimer.class);
  static final int BATCH = 100;

  private final Engine engine;
  private final BooleanSupplier stopped;

  /**
   * @param stopped true once the timer must stop between two conversations (closing)
   */
  public SnoozeTimer(Engine engine, BooleanSupplier stopped) {
    this.engine = engine;
    this.stopped = stopped;
  }

  @Override
  public void run() {
    List<Conversation> due;
    boolean failed = false;
    do {
      Instant now = engine.now();
      due = engine.tx(tx -> tx.listSnoozeExpired(now, BATCH));
      for (Conversation c : due) {
        if (stopped.getAsBoolean()) {
          return;
        }
        try {
          reopen(c.accountId(), c.id());
        } catch (RuntimeException e) {
          // tried again at the next run; the others go ahead
          failed = true;
          LOG.warn("could not reopen snoozed conversation {} of account {}: {}", c.id(),
              c.accountId(), e.toString());
        }
      }
    } while (due.size() == BATCH && !failed);
  }

  private void reopen(long accountId, long conversationId) {
    engine.write(tx -> {
      tx.store().lockConversation(accountId, conversationId)
          .filter(c -> c.status() == ConversationStatus.SNOOZED && c.snoozedUntil() != null
              && !c.snoozedUntil().isAfter(tx.now()))
          .ifPresent(c -> {
            LOG.debug("reopening conversation {} of account {}: its snooze ended", c.id(),
                accountId);
            ConversationRules.changeStatus(tx, c, ConversationStatus.OPEN, null, Actor.system());
          });
      return null;
    });
  }
}
