package io.switchboard.realtime;

import jakarta.websocket.Session;
import java.util.Optional;

/**
 * Tells which agent a WebSocket connection belongs to, with the host's own sign-in: a session
 * cookie's principal ({@link Session#getUserPrincipal()}), or an access token in the query
 * ({@link Session#getRequestParameterMap()}). Called once per connection, on the container's
 * thread; must be thread-safe.
 */
@FunctionalInterface
public interface AgentAuthenticator {
  /** The agent, or empty to refuse the connection. */
  Optional<AgentIdentity> authenticate(Session session);

  /**
   * An authenticated agent.
   *
   * @param accountId the account the connection is for
   * @param userId the agent
   */
  record AgentIdentity(long accountId, long userId) {}
}
