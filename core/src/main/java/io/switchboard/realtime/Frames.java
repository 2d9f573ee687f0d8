package io.switchboard.realtime;

import io.switchboard.event.Event;
import io.switchboard.internal.Json;
import io.switchboard.internal.VisitorViews;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The text frames of the real-time endpoint, one shape per audience: agents get the whole
 * event ({@link Json#writeEventForClient}), contacts the trimmed view of {@link VisitorViews}.
 *
 * <p>The hub hands one event to every connection in turn on one thread, so the frames of the
 * last event are kept: a broadcast to 10,000 connections writes each audience's JSON once, not
 * 10,000 times. Another thread routing another event at the same time only replaces the cache;
 * the frames stay correct.
 */
final class Frames {
  private static final AtomicReference<Written> LAST = new AtomicReference<>();

  private Frames() {}

  /** The frame an agent receives. */
  static String forAgent(Event event) {
    return written(event).agent();
  }

  /** The frame a contact receives: only for events {@link Event#visibleToContact()}. */
  static String forContact(Event event) {
    return written(event).contact();
  }

  private static Written written(Event event) {
    Written last = LAST.get();
    if (last != null && last.event == event) {
      return last;
    }
    Written fresh = new Written(event);
    LAST.set(fresh);
    return fresh;
  }

  /** An event and its frames, each written on first use. */
  private static final class Written {
    final Event event;
    private volatile String agent;
    private volatile String contact;

    Written(Event event) {
      this.event = event;
    }

    String agent() {
      String json = agent;
      if (json == null) {
        json = Json.writeEventForClient(event);
        agent = json;
      }
      return json;
    }

    String contact() {
      String json = contact;
      if (json == null) {
        json = VisitorViews.event(event);
        contact = json;
      }
      return json;
    }
  }
}
