package io.switchboard.realtime;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text frames on their way to one WebSocket connection, sent one at a time. A container
 * may refuse an asynchronous send while another is in flight (Tomcat throws {@code
 * IllegalStateException}), so each frame is sent from the completion of the one before.
 *
 * <p>{@link #send} never blocks: it sends at once or queues. When more than {@code limit}
 * frames wait (a client reading too slowly), the queue is dropped, nothing more is queued, and
 * the connection is closed with 1013 (try again later) as soon as the frame in flight
 * completes: the client reconnects with the last sequence it saw and is replayed what it
 * missed. A send that fails closes the connection with 1011.
 *
 * <p>A container may complete a send on the thread that started it, inside {@code sendText}:
 * that completion is noted and the loop of that thread sends the next frame, so that a long
 * queue never grows the stack.
 */
final class FrameQueue implements SendHandler {
  private static final Logger LOG = LoggerFactory.getLogger(FrameQueue.class);
  private final Session session;
  private final int limit;
  private final ArrayDeque<String> waiting = new ArrayDeque<>();
  /** A frame is in flight: its completion sends the next one. */
  private boolean sending;
  /** Nothing more is sent: the connection failed or its client fell too far behind. */
  private boolean stopped;
  /** The thread inside {@code sendText}, whose own completion of that send is only noted. */
  private Thread writer;
  private boolean completedInline;
  private Throwable inlineFailure;

  FrameQueue(Session session, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the frame queue limit must be at least 1, not " + limit);
    }
    this.session = session;
    this.limit = limit;
  }

  /** Sends {@code frame} after the frames before it, without waiting for the client. */
  void send(String frame) {
    synchronized (this) {
      if (stopped || !session.isOpen()) {
        return;
      }
      if (sending) {
        if (waiting.size() < limit) {
          waiting.add(frame);
        } else {
          // closed when the frame in flight completes: closing here could block the caller
          stopped = true;
          waiting.clear();
          LOG.debug("real-time client {} fell more than {} frames behind", session.getId(), limit);
        }
        return;
      }
      sending = true;
    }
    write(frame);
  }

  private void write(String first) {
    String frame = first;
    Thread self = Thread.currentThread();
    while (frame != null) {
      Throwable failure;
      synchronized (this) {
        writer = self;
        completedInline = false;
        inlineFailure = null;
      }
      try {
        session.getAsyncRemote().sendText(frame, this);
        synchronized (this) {
          if (writer != self) {
            return; // completed on another thread, which sends the next frame
          }
          writer = null;
          if (!completedInline) {
            return; // completes later: onResult sends the next frame
          }
          failure = inlineFailure;
        }
      } catch (RuntimeException e) { // a closed session, or a container refusing the send
        synchronized (this) {
          if (writer == self) {
            writer = null;
          }
        }
        failure = e;
      }
      frame = next(failure);
    }
  }

  @Override
  public void onResult(SendResult result) {
    Throwable failure = result.isOK() ? null : result.getException();
    synchronized (this) {
      if (writer == Thread.currentThread()) {
        completedInline = true;
        inlineFailure = failure;
        return;
      }
    }
    write(next(failure));
  }

  /** After a send: the next frame to send, or null when there is none or sending stopped. */
  private String next(Throwable failure) {
    boolean fellBehind;
    synchronized (this) {
      if (failure == null && !stopped) {
        String next = waiting.poll();
        sending = next != null;
        return next;
      }
      fellBehind = stopped;
      stopped = true;
      waiting.clear();
    }
    if (fellBehind) {
      close(CloseReason.CloseCodes.TRY_AGAIN_LATER,
          "too slow: more than " + limit + " frames waiting; reconnect with last_sequence");
    } else {
      LOG.debug("a real-time send to {} failed: {}", session.getId(), failure.toString());
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send failed");
    }
    return null;
  }

  private void close(CloseReason.CloseCode code, String why) {
    try {
      session.close(new CloseReason(code, why));
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing real-time connection {} failed: {}", session.getId(), e.toString());
    }
  }
}
