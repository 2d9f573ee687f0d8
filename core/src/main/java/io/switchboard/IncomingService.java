package io.switchboard;

import io.switchboard.channel.ChannelProvider;
import io.switchboard.channel.InboundMessage;
import io.switchboard.channel.InboundStatus;
import io.switchboard.channel.ParsedWebhook;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.channel.WebhookParser;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.channel.WebhookResponse;
import io.switchboard.internal.DeferredIngest;
import io.switchboard.internal.Engine;
import io.switchboard.internal.InboundDelivery;
import io.switchboard.internal.IncomingPipeline;
import io.switchboard.internal.JobRunner;
import io.switchboard.internal.Jobs;
import io.switchboard.internal.Json;
import io.switchboard.internal.WriteTx;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import io.switchboard.model.Message;
import io.switchboard.store.JobRecord;
import io.switchboard.store.RawRequestRecord;
import io.switchboard.store.RoutedInbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incoming side: provider webhooks, and messages and statuses the host submits itself
 * (the API channel). Thread-safe; get it from {@link Switchboard#incoming()}.
 */
public final class IncomingService {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingService.class);

  private final Engine engine;
  private final IncomingPipeline pipeline;
  private final Map<ChannelType, ChannelProvider> providers;
  private final JobRunner jobs;
  private final int maxWebhookBytes;
  /** The lanes that process stored inputs behind their acknowledgement, or null. */
  private final DeferredIngest deferred;

  IncomingService(Engine engine, IncomingPipeline pipeline,
      Map<ChannelType, ChannelProvider> providers, JobRunner jobs, int maxWebhookBytes,
      DeferredIngest deferred) {
    this.engine = engine;
    this.pipeline = pipeline;
    this.providers = providers;
    this.jobs = jobs;
    this.maxWebhookBytes = maxWebhookBytes;
    this.deferred = deferred;
  }

  /**
   * Stores a message the host received for an inbox (the API channel, or any channel the host
   * reads itself). Idempotent by the message's source id: a redelivery returns the message
   * stored the first time and emits nothing.
   *
   * @throws NotFoundException when the inbox is not in the account
   * @throws ValidationException for content over 150,000 characters or over 15 attachments
   * @throws RateLimitedException when the conversation is over the flood limit
   */
  public Message receive(long accountId, long inboxId, InboundMessage message) {
    return pipeline.apply(accountId, inboxId, message, true).orElseThrow();
  }

  /**
   * Applies a provider status for a message sent from this inbox, found by its source id.
   * Statuses never move back. Returns the message, or empty when no message has that id.
   */
  public Optional<Message> receiveStatus(long accountId, long inboxId, InboundStatus status) {
    return pipeline.apply(accountId, inboxId, status, false);
  }

  /**
   * Handles a provider's webhook request for {@code channel}: the channel's parser verifies
   * it; verified events are stored durably before this method returns the answer for the
   * provider. By default they are also processed before it returns (see
   * {@link WebhookAcknowledgement}); with {@link WebhookAcknowledgement#AFTER_STORING} the
   * answer goes once the raw request and its processing job have committed, and background
   * lanes process it. If processing fails, or the process dies, the job runs again later;
   * nothing acknowledged is lost.
   *
   * <p>Answers 404 for a channel without a registered webhook parser, 413 for a body over the
   * limit, 400 for a payload the parser cannot read, 401 for a forged one.
   */
  public WebhookResponse handleWebhook(ChannelType channel, WebhookRequest request) {
    ChannelProvider provider = providers.get(channel);
    Optional<WebhookParser> parser = provider == null ? Optional.empty() : provider.webhookParser();
    if (parser.isEmpty()) {
      return WebhookResponse.status(404, "no webhook parser for channel " + channel.wireName());
    }
    if (request.bodyLength() > maxWebhookBytes) {
      LOG.info("{} webhook refused: {} bytes over the limit of {}", channel.wireName(),
          request.bodyLength(), maxWebhookBytes);
      return WebhookResponse.tooLarge();
    }
    ParsedWebhook parsed;
    // the inboxes the parser looked up: processing starts from them instead of reading them
    // again (a route read now also says whether its events have webhooks to be queued for; one
    // from the route cache does not)
    List<RoutedInbox> routed = new java.util.ArrayList<>(1);
    List<Inbox> cached = new java.util.ArrayList<>(1);
    try {
      parsed = parser.get().parse(request, (type, key) -> {
        Optional<RoutedInbox> hit = engine.cachedRoute(type, key);
        if (hit.isPresent()) {
          cached.add(hit.get().inbox());
          return Optional.of(hit.get().inbox());
        }
        Optional<RoutedInbox> route = engine.readRoute(type, key);
        route.ifPresent(routed::add);
        return route.map(RoutedInbox::inbox);
      });
    } catch (RuntimeException e) {
      LOG.warn("{} webhook could not be parsed: {}", channel.wireName(), e.getClass().getSimpleName());
      return WebhookResponse.badRequest("malformed payload");
    }
    if (parsed.events().isEmpty()) {
      return parsed.response();
    }
    ingest(channel, request.method(), request.path(),
        request.header("content-type").orElse(null), request.body(), parsed.events(), routed,
        cached);
    return parsed.response();
  }

  /**
   * Stores verified events durably and processes them: the path of webhooks, for channels
   * that fetch their events themselves (Telegram long polling, IMAP). When this method returns,
   * the events and the raw input are committed (with
   * {@link WebhookAcknowledgement#AFTER_STORING}, the raw input and its job; background lanes
   * process it). Usually the raw input and the processing of every event commit together in
   * one transaction, which concurrent deliveries may share; if
   * any event fails, the raw input is stored with a job instead, processing runs once more in
   * this thread, event by event, and a background worker runs it again later if it still
   * fails. Idempotent per provider message id.
   *
   * @param channel the channel the events came from
   * @param source a short description of where they came from (for example
   *     {@code getUpdates} or {@code imap:INBOX}), stored with the raw input
   * @param raw the raw input as received (a provider's JSON, an RFC 822 message)
   * @param events the verified events, each with its inbox
   */
  public void ingest(ChannelType channel, String source, byte[] raw, List<RoutedEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    ingest(channel, "POLL", source, null, raw, events, List.of(), List.of());
  }

  private void ingest(ChannelType channel, String method, String path, String contentType,
      byte[] body, List<RoutedEvent> events, List<RoutedInbox> routes, List<Inbox> cached) {
    if (deferred != null) {
      store(channel, method, path, contentType, body, events, routes, cached);
      return;
    }
    // the common case in one transaction: the raw input, every event processed, marked done.
    // Nothing is acknowledged before it commits; if any event fails, nothing of it is kept and
    // the input takes the path below, where each event is retried or refused on its own.
    // Concurrent deliveries share their transactions (group commit); see Engine#writeGrouped.
    try {
      engine.writeGrouped(tx -> {
        routes.forEach(tx::knownRoute);
        cached.forEach(tx::knownInbox);
        // marked processed at once: if any event fails, none of this commits
        tx.keepProcessedRawRequest(new RawRequestRecord(channel.wireName(), method, path,
            contentType, body, tx.now()));
        for (RoutedEvent routed : events) {
          pipeline.applyIn(tx, routed.accountId(), routed.inboxId(), routed.event(), false);
        }
      });
      return;
    } catch (RuntimeException e) {
      LOG.debug("{} input not processed at once ({}); storing it for the workers",
          channel.wireName(), e.getClass().getSimpleName());
    }
    JobRecord job = engine.write(tx -> storeLeased(tx, channel, method, path, contentType, body,
        events)).job();
    LOG.debug("{} input stored as job {} with {} events", channel.wireName(), job.id(),
        events.size());
    jobs.run(job);
  }

  /**
   * Acknowledging once stored: the raw input and its job, leased to this process, commit in a
   * transaction concurrent deliveries share; then a lane processes it in bulk. Should the lanes
   * not take it, this thread processes it through its job.
   */
  private void store(ChannelType channel, String method, String path, String contentType,
      byte[] body, List<RoutedEvent> events, List<RoutedInbox> routes, List<Inbox> cached) {
    Stored[] stored = new Stored[1];
    // the work may run more than once, each time in a new transaction: the last run committed
    engine.writeGrouped(tx -> stored[0] = storeLeased(tx, channel, method, path, contentType,
        body, events));
    JobRecord job = stored[0].job();
    if (!deferred.submit(new DeferredIngest.Input(job, stored[0].rawRequestId(), events, routes,
        cached))) {
      LOG.debug("{} input {} processed by its caller: the ingest lanes are full or closed",
          channel.wireName(), stored[0].rawRequestId());
      jobs.run(job);
    }
  }

  /** A stored raw input and the job for its processing. */
  private record Stored(long rawRequestId, JobRecord job) {}

  /**
   * Stores the raw input and its inbound job in {@code tx}, the job leased from the start: this
   * process processes it now, and the workers only take it over if that fails or the process
   * dies (so they are not woken for it). Returns the job as this process's claim of it, the
   * first (attempts are counted by claims).
   */
  private Stored storeLeased(WriteTx tx, ChannelType channel, String method, String path,
      String contentType, byte[] body, List<RoutedEvent> events) {
    long raw = tx.store().insertRawRequest(channel.wireName(), method, path, contentType, body,
        tx.now());
    String payload = Json.write(new InboundDelivery.Payload(raw, events));
    Instant leaseUntil = tx.now().plus(jobs.lease());
    long accountId = events.get(0).accountId();
    long id = tx.store().insertJob(new JobRecord(0, Jobs.INBOUND, null, accountId, payload, 0,
        leaseUntil, null, false, tx.now()));
    return new Stored(raw, new JobRecord(id, Jobs.INBOUND, null, accountId, payload, 1,
        leaseUntil, null, false, tx.now()));
  }
}
