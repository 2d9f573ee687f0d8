package io.switchboard.internal;

import io.switchboard.RetryPolicy;
import io.switchboard.ValidationException;
import io.switchboard.event.Event;
import io.switchboard.event.EventType;
import io.switchboard.event.Listener;
import io.switchboard.model.Actor;
import io.switchboard.model.Conversation;
import io.switchboard.model.ConversationStatus;
import io.switchboard.store.EventRecord;
import io.switchboard.store.JobRecord;
import io.switchboard.webhook.AgentBot;
import io.switchboard.webhook.DeliveryStatus;
import io.switchboard.webhook.Webhook;
import io.switchboard.webhook.WebhookDelivery;
import io.switchboard.webhook.WebhookSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one queued delivery to its webhook or agent bot, records the attempt in the
 * delivery log, and classifies the outcome: 2xx delivered; timeouts, 408, 429 and 5xx retried
 * with the target's retry policy; anything else failed at once. A webhook failing
 * {@code failureLimit} deliveries in a row is disabled ({@code webhook.disabled}); a bot that
 * fails opens its pending conversation for the agents.
 */
public final class WebhookDispatch implements Jobs.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatch.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final Engine engine;
  private final OkHttpClient http;
  private final UrlGuard guard;
  private final RetryPolicy policy;
  private final boolean agentBots;
  private final int failureLimit;
  private final Map<String, Listener> callbacks;

  public WebhookDispatch(Engine engine, OkHttpClient shared, Duration timeout,
      boolean allowPrivate, RetryPolicy policy, boolean agentBots, int failureLimit,
      Map<String, Listener> callbacks) {
    this.engine = engine;
    this.guard = new UrlGuard(allowPrivate);
    this.http = guard.restrict(shared.newBuilder()).callTimeout(timeout).build();
    this.policy = policy;
    this.agentBots = agentBots;
    this.failureLimit = failureLimit;
    this.callbacks = Map.copyOf(callbacks);
  }

  @Override
  public RetryPolicy retryPolicy() {
    return policy;
  }

  private record Target(String deliveryId, long sequence, Long conversationId) {
    static Target of(JobRecord job) {
      String[] p = job.payload().split("\\|");
      return new Target(p[0], Long.parseLong(p[1]), p[2].equals("-") ? null : Long.parseLong(p[2]));
    }
  }

  /** What a delivery goes to, loaded in one read. */
  private record Loaded(WebhookDelivery delivery, String body, Webhook webhook, AgentBot bot,
      String secret) {}

  @Override
  public Jobs.Outcome run(JobRecord job) throws Exception {
    Target t = Target.of(job);
    long accountId = job.accountId();
    Optional<Loaded> found = engine.tx(tx -> tx.findWebhookDelivery(accountId, t.deliveryId)
        .map(d -> {
          String body = tx.findWebhookDeliveryBody(d.id()).orElse("{}");
          if (d.agentBot()) {
            AgentBot bot = tx.findAgentBot(accountId, d.targetId()).orElse(null);
            String secret = bot == null ? null : tx.findAgentBotSecret(accountId, bot.id()).orElse(null);
            return new Loaded(d, body, null, bot, secret);
          }
          Webhook w = tx.findWebhook(accountId, d.targetId()).orElse(null);
          String secret = w == null ? null : tx.findWebhookSecret(accountId, w.id()).orElse(null);
          return new Loaded(d, body, w, null, secret);
        }));
    if (found.isEmpty() || found.get().delivery().status() != DeliveryStatus.PENDING) {
      return Jobs.Outcome.done();
    }
    Loaded l = found.get();
    if (agentBots ? l.bot() == null : l.webhook() == null) {
      record(t, DeliveryStatus.FAILED, null, (agentBots ? "agent bot" : "webhook") + " was deleted");
      return Jobs.Outcome.done();
    }
    if (!agentBots && !l.webhook().enabled()) {
      record(t, DeliveryStatus.FAILED, null, "webhook is disabled");
      return Jobs.Outcome.done();
    }
    if (agentBots && l.bot().callback() != null) {
      return callBot(job, t, l.bot());
    }
    String url = agentBots ? l.bot().url() : l.webhook().url();
    try {
      guard.check(url);
    } catch (ValidationException e) {
      return failed(t, l, null, e.getMessage());
    }
    byte[] body = l.body().getBytes(StandardCharsets.UTF_8);
    String timestamp = Long.toString(engine.clock().instant().getEpochSecond());
    Request request = new Request.Builder().url(url)
        .header(WebhookSignatures.TIMESTAMP_HEADER, timestamp)
        .header(WebhookSignatures.DELIVERY_HEADER, t.deliveryId)
        .header(WebhookSignatures.SIGNATURE_HEADER, WebhookSignatures.sign(l.secret(), timestamp, body))
        .header("User-Agent", "Switchboard-Webhooks")
        .post(RequestBody.create(body, JSON))
        .build();
    try (Response response = http.newCall(request).execute()) {
      int code = response.code();
      if (response.isSuccessful()) {
        record(t, DeliveryStatus.DELIVERED, code, null);
        succeeded(l);
        return Jobs.Outcome.done();
      }
      String error = "HTTP " + code + snippet(response.body());
      if (code == 408 || code == 429 || code >= 500) {
        return retry(job, t, l, code, error, retryAfter(response));
      }
      return failed(t, l, code, error);
    } catch (IOException e) {
      return retry(job, t, l, null, Jobs.describe(e), null);
    }
  }

  private Jobs.Outcome callBot(JobRecord job, Target t, AgentBot bot) {
    Listener callback = callbacks.get(bot.callback());
    if (callback == null) {
      return retry(job, t, new Loaded(null, null, null, bot, null), null,
          "no agent bot callback named '" + bot.callback() + "' is registered; registered: "
              + callbacks.keySet(), null);
    }
    Optional<EventRecord> row = engine.tx(tx -> tx.findEvent(t.sequence));
    if (row.isEmpty()) {
      return failed(t, new Loaded(null, null, null, bot, null), null, "event no longer in the log");
    }
    Event event = Json.readEvent(row.get().payload(), t.sequence);
    try {
      callback.onEvent(event);
    } catch (Exception | LinkageError e) {
      return retry(job, t, new Loaded(null, null, null, bot, null), null, Jobs.describe(e), null);
    }
    record(t, DeliveryStatus.DELIVERED, null, null);
    return Jobs.Outcome.done();
  }

  private Jobs.Outcome retry(JobRecord job, Target t, Loaded l, Integer code, String error,
      Duration retryAfter) {
    if (!policy.allowsAnother(job.attempts())) {
      failed(t, l, code, error + " (gave up after " + job.attempts() + " attempts)");
      return Jobs.Outcome.giveUp(error);
    }
    record(t, DeliveryStatus.PENDING, code, error);
    return Jobs.Outcome.retry(error, retryAfter);
  }

  private Jobs.Outcome failed(Target t, Loaded l, Integer code, String error) {
    record(t, DeliveryStatus.FAILED, code, error);
    LOG.debug("delivery {} failed: {}", t.deliveryId, error);
    if (agentBots) {
      botFailed(t, l.bot());
    } else {
      webhookFailed(l.webhook());
    }
    return Jobs.Outcome.done();
  }

  private void record(Target t, DeliveryStatus status, Integer code, String error) {
    engine.tx(tx -> {
      tx.recordWebhookAttempt(t.deliveryId, status, code, error, engine.now());
      return null;
    });
  }

  private void succeeded(Loaded l) {
    if (agentBots || l.webhook().consecutiveFailures() == 0) {
      return;
    }
    engine.tx(tx -> {
      tx.clearWebhookFailures(l.webhook().accountId(), l.webhook().id());
      return null;
    });
  }

  private void webhookFailed(Webhook hook) {
    engine.write(tx -> {
      int failures = tx.store().countWebhookFailure(hook.accountId(), hook.id());
      tx.store().findWebhook(hook.accountId(), hook.id()).ifPresent(w -> {
        if (w.enabled() && failureLimit > 0 && failures >= failureLimit) {
          Webhook disabled = new Webhook(w.id(), w.accountId(), w.url(), w.subscriptions(),
              false, failures, w.createdAt(), tx.now());
          tx.store().updateWebhook(disabled, null);
          LOG.warn("webhook {} of account {} disabled after {} failed deliveries in a row",
              w.id(), w.accountId(), failures);
          tx.emit(EventType.WEBHOOK_DISABLED, w.accountId(), null, null, disabled,
              Map.of("enabled", new io.switchboard.event.Change(true, false)), Actor.system());
        }
      });
      return null;
    });
  }

  /** A bot that does not answer must not leave a customer waiting: open the conversation. */
  private void botFailed(Target t, AgentBot bot) {
    if (t.conversationId == null || bot == null) {
      return;
    }
    engine.write(tx -> {
      Optional<Conversation> c = tx.store().lockConversation(bot.accountId(), t.conversationId);
      if (c.isPresent() && c.get().status() == ConversationStatus.PENDING) {
        Conversation opened = ConversationRules.changeStatus(tx, c.get(), ConversationStatus.OPEN,
            null, Actor.system());
        MessageWriter.activity(tx, opened, "Agent bot " + bot.name()
            + " is not responding; the conversation was opened for the agents", Actor.system());
      }
      return null;
    });
  }

  private static String snippet(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    String text = body.string().strip();
    return text.isEmpty() ? "" : " " + (text.length() > 300 ? text.substring(0, 300) : text);
  }

  private static Duration retryAfter(Response response) {
    String value = response.header("Retry-After");
    if (value == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Math.min(3600, Long.parseLong(value.strip()))));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
