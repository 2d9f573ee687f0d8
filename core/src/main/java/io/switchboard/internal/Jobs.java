package io.switchboard.internal;

import io.switchboard.store.JobRecord;
import java.time.Duration;

/** Job kinds and the outcome of running one. */
public final class Jobs {
  /** Deliver an event (payload: its sequence) to the async listener named by the target. */
  public static final String EVENT = "event";
  /** Send an outgoing message (payload: {@code accountId:messageId}). */
  public static final String SEND = "send";
  /** Download the pending attachments of a message (payload: {@code accountId:messageId}). */
  public static final String FETCH = "fetch";
  /** Ingest the events of a stored webhook request. */
  public static final String INBOUND = "inbound";
  /** POST one delivery to an account webhook (payload: {@code deliveryId|sequence|conversationId}). */
  public static final String WEBHOOK = "webhook";
  /** Deliver one event to an inbox's agent bot (payload as for {@link #WEBHOOK}). */
  public static final String AGENT_BOT = "agent_bot";

  private Jobs() {}

  /** Runs jobs of one kind. Called on a worker thread; may block. */
  public interface Handler {
    /**
     * Runs the job once.
     *
     * @return what to do with the job; an exception counts as {@link Outcome#retry}
     */
    Outcome run(JobRecord job) throws Exception;

    /** Called once when the retry policy gives up on the job, before it is buried. */
    default void gaveUp(JobRecord job, String lastError) {}

    /** The retry policy of this kind of job, or null for the runner's (the builder's). */
    default io.switchboard.RetryPolicy retryPolicy() {
      return null;
    }
  }

  /**
   * What happened.
   *
   * @param finished the job is finished and removed
   * @param error why it failed, when not done
   * @param retryAfter the delay requested, or null for the backoff policy
   * @param permanent do not retry: bury at once
   * @param deleted the handler already deleted the job in its own last transaction
   */
  public record Outcome(boolean finished, String error, Duration retryAfter, boolean permanent,
      boolean deleted) {
    public static Outcome done() {
      return new Outcome(true, null, null, false, false);
    }

    /** Done, and the job row was deleted with the handler's last write: one commit fewer. */
    public static Outcome doneAndDeleted() {
      return new Outcome(true, null, null, false, true);
    }

    public static Outcome retry(String error, Duration retryAfter) {
      return new Outcome(false, error, retryAfter, false, false);
    }

    public static Outcome giveUp(String error) {
      return new Outcome(false, error, null, true, false);
    }
  }

  /** A short description of a failure, without its stack and capped in length. */
  public static String describe(Throwable e) {
    String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return text.length() > 500 ? text.substring(0, 500) : text;
  }
}
