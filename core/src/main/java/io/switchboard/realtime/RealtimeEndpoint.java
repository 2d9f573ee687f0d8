package io.switchboard.realtime;

import io.switchboard.SwitchboardException;
import io.switchboard.event.Event;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a {@link RealtimeHub} in any {@code jakarta.websocket} container (Jetty, Tomcat,
 * Tyrus, Undertow):
 *
 * <pre>{@code
 * serverContainer.addEndpoint(RealtimeEndpoint.config("/realtime", hub, authenticator));
 * }</pre>
 *
 * <p>A contact (the widget) connects with {@code ?pubsub_token=…}; an agent is recognised by
 * the host's {@link AgentAuthenticator}. Either may add {@code &last_sequence=N} to receive what
 * it missed since event N. The server sends one JSON text message per event. An agent gets the
 * whole event: {@code type} (dotted name), {@code sequence}, {@code account_id}, {@code
 * inbox_id}, {@code conversation_id}, {@code data} (the entity, snake_case), {@code
 * changed_attributes}, {@code performer} and {@code occurred_at}. A contact gets a trimmed
 * view, the same the widget API answers over HTTP: {@code type}, {@code sequence}, {@code
 * conversation_id}, {@code data} (a public message, or the conversation's id, uuid, status and
 * times), {@code performer} (its {@code type} only) and {@code occurred_at}; never labels,
 * assignee, team, priority, custom or additional attributes, changed attributes or provider
 * ids. The client sends {@code {"type":"heartbeat"}}
 * at least every 20 seconds to stay present. A connection that cannot be identified is closed
 * with 1008 (policy violation).
 *
 * <p>A client that missed more events than the hub replays ({@link
 * RealtimeHub.Builder#maxReplay}) gets none of them, and instead the frame {@code
 * {"type":"resync","sequence":N}}: it must read its state again over HTTP, and resume after
 * {@code N} on its next connection. Live events may come before that frame.
 *
 * <p>Frames are sent one at a time, each after the previous one completed, in the order the
 * hub routed them; they wait in a queue per connection meanwhile. A client that falls more
 * than a limit behind (by default the hub's {@code maxReplay} plus {@value
 * #DEFAULT_LIVE_BACKLOG}) is closed with 1013 (try again later): it reconnects with its last
 * sequence. An agent that is no longer in the account is closed with 1008 at its next
 * heartbeat.
 */
public final class RealtimeEndpoint extends Endpoint {
  /** How many frames beyond a full replay may wait for a slow client, unless configured. */
  public static final int DEFAULT_LIVE_BACKLOG = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeEndpoint.class);
  private final RealtimeHub hub;
  private final AgentAuthenticator authenticator;
  private final int maxQueuedFrames;

  private RealtimeEndpoint(RealtimeHub hub, AgentAuthenticator authenticator,
      int maxQueuedFrames) {
    this.hub = hub;
    this.authenticator = authenticator;
    this.maxQueuedFrames = maxQueuedFrames;
  }

  /**
   * The endpoint configuration to add to a container's {@code ServerContainer}: at most the
   * hub's {@code maxReplay} plus {@value #DEFAULT_LIVE_BACKLOG} frames wait for one client.
   */
  public static ServerEndpointConfig config(String path, RealtimeHub hub,
      AgentAuthenticator authenticator) {
    Objects.requireNonNull(hub, "hub");
    return config(path, hub, authenticator, hub.maxReplay() + DEFAULT_LIVE_BACKLOG);
  }

  /**
   * The endpoint configuration, with at most {@code maxQueuedFrames} frames waiting for one
   * client before it is closed as too slow. A replay sends up to the hub's {@code maxReplay}
   * frames at once: a smaller limit closes clients that reconnect after missing that many.
   */
  public static ServerEndpointConfig config(String path, RealtimeHub hub,
      AgentAuthenticator authenticator, int maxQueuedFrames) {
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(authenticator, "authenticator");
    if (maxQueuedFrames < 1) {
      throw new IllegalArgumentException("maxQueuedFrames must be at least 1, not "
          + maxQueuedFrames);
    }
    return ServerEndpointConfig.Builder.create(RealtimeEndpoint.class, path)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> type) {
            return type.cast(new RealtimeEndpoint(hub, authenticator, maxQueuedFrames));
          }
        })
        .build();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    long lastSequence = param(session, "last_sequence").map(RealtimeEndpoint::parseLong).orElse(0L);
    FrameQueue frames = new FrameQueue(session, maxQueuedFrames);
    Subscription subscription;
    try {
      Optional<String> pubsubToken = param(session, "pubsub_token");
      if (pubsubToken.isPresent()) {
        subscription = hub.subscribeContact(pubsubToken.get(), lastSequence,
            event -> frames.send(Frames.forContact(event)));
      } else {
        Optional<AgentAuthenticator.AgentIdentity> agent = authenticator.authenticate(session);
        if (agent.isEmpty()) {
          close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "not signed in");
          return;
        }
        subscription = hub.subscribeAgent(agent.get().accountId(), agent.get().userId(),
            lastSequence, event -> frames.send(Frames.forAgent(event)),
            reason -> close(session, CloseReason.CloseCodes.VIOLATED_POLICY, reason));
      }
    } catch (SwitchboardException e) {
      close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "unknown subscriber");
      return;
    } catch (RuntimeException e) {
      // the class only: a store exception's message may quote the pubsub token it looked up
      LOG.warn("opening a real-time subscription failed: {}", e.getClass().getName());
      close(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, "cannot subscribe now");
      return;
    }
    session.getUserProperties().put(Subscription.class.getName(), subscription);
    if (subscription.mustResync()) {
      frames.send("{\"type\":\"resync\",\"sequence\":" + subscription.lastSequence() + "}");
    }
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
      if (text.contains("\"heartbeat\"")) {
        subscription.heartbeat();
      }
    });
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    Object subscription = session.getUserProperties().remove(Subscription.class.getName());
    if (subscription instanceof Subscription s) {
      s.close();
    }
  }

  @Override
  public void onError(Session session, Throwable error) {
    LOG.debug("real-time connection error: {}", error.toString());
  }

  private static Optional<String> param(Session session, String name) {
    List<String> values = session.getRequestParameterMap().get(name);
    return values == null || values.isEmpty() || values.get(0).isBlank()
        ? Optional.empty() : Optional.of(values.get(0));
  }

  private static long parseLong(String value) {
    try {
      return Math.max(0, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void close(Session session, CloseReason.CloseCode code, String why) {
    try {
      session.close(new CloseReason(code, why));
    } catch (IOException e) {
      LOG.debug("closing a real-time connection failed: {}", e.toString());
    }
  }
}
