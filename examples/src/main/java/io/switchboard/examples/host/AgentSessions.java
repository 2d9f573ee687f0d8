package io.switchboard.examples.host;

import io.switchboard.internal.Tokens;
import io.switchboard.realtime.AgentAuthenticator.AgentIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in agents: random, unguessable session tokens kept in memory for 12 hours. A restart
 * signs everyone out. A production host would use its own session store.
 */
final class AgentSessions {
  private static final Duration TTL = Duration.ofHours(12);
  private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  private record Entry(AgentIdentity identity, Instant expires) {}

  AgentSessions(Clock clock) {
    this.clock = clock;
  }

  String open(AgentIdentity identity) {
    String token = Tokens.random(32);
    sessions.put(token, new Entry(identity, clock.instant().plus(TTL)));
    return token;
  }

  Optional<AgentIdentity> find(String token) {
    if (token == null) {
      return Optional.empty();
    }
    Entry e = sessions.get(token);
    if (e == null || e.expires().isBefore(clock.instant())) {
      sessions.remove(token);
      return Optional.empty();
    }
    return Optional.of(e.identity());
  }

  void close(String token) {
    sessions.remove(token);
  }
}
