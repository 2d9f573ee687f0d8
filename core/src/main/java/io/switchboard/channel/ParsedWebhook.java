package io.switchboard.channel;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link WebhookParser} made of a request: the answer for the provider and, when the
 * request was verified, the events to ingest. Events are stored durably before the answer is
 * sent.
 *
 * @param response the answer for the provider
 * @param events the verified events, each with its inbox; empty for a verification challenge,
 *     a refused request or a delivery with nothing to ingest
 */
public record ParsedWebhook(WebhookResponse response, List<RoutedEvent> events) {
  public ParsedWebhook {
    Objects.requireNonNull(response, "response");
    events = events == null ? List.of() : List.copyOf(events);
  }

  /** Answer without ingesting anything (a challenge, 401, 400…). */
  public static ParsedWebhook respond(WebhookResponse response) {
    return new ParsedWebhook(response, List.of());
  }

  /** Ingest these events and answer 200 "ok". */
  public static ParsedWebhook accept(List<RoutedEvent> events) {
    return new ParsedWebhook(WebhookResponse.ok("ok"), events);
  }
}
