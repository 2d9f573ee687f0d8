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
import java.util.function.Consumer;
import java.util.function.Function;
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
 * <p>An agent that is no longer in the account is closed with 1008 at its next heartbeat.
 */
public final class RealtimeEndpoint extends Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(RealtimeEndpoint.class);
  private final RealtimeHub hub;
  private final AgentAuthenticator authenticator;

  private RealtimeEndpoint(RealtimeHub hub, AgentAuthenticator authenticator) {
    this.hub = hub;
    this.authenticator = authenticator;
  }

  /** The endpoint configuration to add to a container's {@code ServerContainer}. */
  public static ServerEndpointConfig config(String path, RealtimeHub hub,
      AgentAuthenticator authenticator) {
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(authenticator, "authenticator");
    return ServerEndpointConfig.Builder.create(RealtimeEndpoint.class, path)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> type) {
            return type.cast(new RealtimeEndpoint(hub, authenticator));
          }
        })
        .build();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    long lastSequence = param(session, "last_sequence").map(RealtimeEndpoint::parseLong).orElse(0L);
    Subscription subscription;
    try {
      Optional<String> pubsubToken = param(session, "pubsub_token");
      if (pubsubToken.isPresent()) {
        subscription = hub.subscribeContact(pubsubToken.get(), lastSequence,
            sender(session, Frames::forContact));
      } else {
        Optional<AgentAuthenticator.AgentIdentity> agent = authenticator.authenticate(session);
        if (agent.isEmpty()) {
          close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "not signed in");
          return;
        }
        subscription = hub.subscribeAgent(agent.get().accountId(), agent.get().userId(),
            lastSequence, sender(session, Frames::forAgent),
            reason -> close(session, CloseReason.CloseCodes.VIOLATED_POLICY, reason));
      }
    } catch (SwitchboardException e) {
      close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "unknown subscriber");
      return;
    }
    session.getUserProperties().put(Subscription.class.getName(), subscription);
    if (subscription.mustResync()) {
      session.getAsyncRemote().sendText(
          "{\"type\":\"resync\",\"sequence\":" + subscription.lastSequence() + "}");
    }
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
      if (text.contains("\"heartbeat\"")) {
        subscription.heartbeat();
      }
    });
  }

  /** Sends each event as the audience's frame, without waiting for the client. */
  private static Consumer<Event> sender(Session session, Function<Event, String> frame) {
    return event -> {
      if (session.isOpen()) {
        session.getAsyncRemote().sendText(frame.apply(event));
      }
    };
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
