package io.switchboard.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.Switchboard;
import io.switchboard.channel.ChannelState;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.model.ChannelType;
import io.switchboard.model.Inbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long polling ({@code getUpdates}) for one Telegram inbox, for hosts without a public URL.
 * A Telegram bot has either a webhook or polling: {@code getUpdates} fails while a webhook is
 * set.
 *
 * <p>One daemon thread per poller. Each batch of updates is parsed with the webhook's parser,
 * stored durably and processed with {@code incoming().ingest}, callback queries are answered,
 * and only then is the next offset stored in the channel state under
 * {@code telegram:<inboxId>:offset}. A restart resumes from that offset: nothing is lost, and
 * a batch that was stored but whose offset was not (a crash in between) is fetched again and
 * deduplicated by its message ids.
 *
 * <pre>{@code
 * TelegramPoller poller = TelegramPoller.start(switchboard, inbox);
 * // ... on shutdown, before switchboard.close():
 * poller.close();
 * }</pre>
 */
public final class TelegramPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelegramPoller.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final Switchboard switchboard;
  private final Inbox inbox;
  private final TelegramChannel channel;
  private final BotApi api;
  private final OkHttpClient http;
  private final Duration timeout;
  private final Duration backoff;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Call current;

  private TelegramPoller(Switchboard switchboard, Inbox inbox, Duration timeout,
      Duration backoff) {
    this.switchboard = switchboard;
    this.inbox = inbox;
    this.channel = switchboard.channel(ChannelType.TELEGRAM)
        .filter(TelegramChannel.class::isInstance).map(TelegramChannel.class::cast)
        .orElseThrow(() -> new IllegalStateException(
            "no TelegramChannel is registered on this Switchboard"));
    if (inbox.channelType() != ChannelType.TELEGRAM) {
      throw new IllegalArgumentException("inbox " + inbox.id() + " is not a Telegram inbox");
    }
    this.api = channel.api(inbox);
    this.timeout = timeout;
    this.backoff = backoff;
    this.http = api.http().newBuilder().readTimeout(timeout.plusSeconds(15)).build();
    this.thread = new Thread(this::run, "switchboard-telegram-poller-" + inbox.id());
    this.thread.setDaemon(true);
  }

  /** Starts polling for {@code inbox} with a 30-second long-poll timeout. */
  public static TelegramPoller start(Switchboard switchboard, Inbox inbox) {
    return start(switchboard, inbox, Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  /**
   * Starts polling for {@code inbox}.
   *
   * @param timeout how long one {@code getUpdates} waits for updates (whole seconds, 0 to 50)
   * @param backoff how long to wait after a failed call
   */
  public static TelegramPoller start(Switchboard switchboard, Inbox inbox, Duration timeout,
      Duration backoff) {
    Objects.requireNonNull(switchboard, "switchboard");
    Objects.requireNonNull(inbox, "inbox");
    if (timeout.isNegative() || timeout.toSeconds() > 50) {
      throw new IllegalArgumentException("timeout must be between 0 and 50 seconds");
    }
    TelegramPoller poller = new TelegramPoller(switchboard, inbox, timeout,
        Objects.requireNonNull(backoff, "backoff"));
    poller.thread.start();
    return poller;
  }

  /** The state key holding the next offset of {@code inbox}. */
  public static String offsetKey(Inbox inbox) {
    return "telegram:" + inbox.id() + ":offset";
  }

  private void run() {
    ChannelState state = channel.context().state();
    while (running) {
      try {
        long offset = state.get(offsetKey(inbox)).map(Long::parseLong).orElse(0L);
        JsonNode updates = fetch(offset);
        if (updates == null || updates.isEmpty()) {
          continue;
        }
        List<RoutedEvent> events = new ArrayList<>();
        List<String> callbacks = new ArrayList<>();
        long next = offset;
        for (JsonNode update : updates) {
          // the offset moves past every update that has an id, even one that cannot be
          // parsed: getUpdates would otherwise return it again at once, and again
          JsonNode updateId = update.path("update_id");
          if (updateId.canConvertToLong()) {
            next = Math.max(next, updateId.asLong() + 1);
          }
          java.util.Optional<UpdateParser.Result> parsed =
              channel.updates().parseOrSkip(inbox.id(), update);
          if (parsed.isEmpty()) {
            continue;
          }
          UpdateParser.Result result = parsed.get();
          result.events().forEach(e -> events.add(RoutedEvent.of(inbox, e)));
          if (result.callbackQueryId() != null) {
            callbacks.add(result.callbackQueryId());
          }
        }
        switchboard.incoming().ingest(ChannelType.TELEGRAM, "getUpdates",
            BotApi.JSON.writeValueAsBytes(updates), events);
        for (String id : callbacks) {
          answerCallback(id);
        }
        state.put(offsetKey(inbox), Long.toString(next));
        LOG.debug("telegram inbox {}: {} updates stored, offset {}", inbox.id(), updates.size(),
            next);
      } catch (Exception e) {
        if (!running) {
          break;
        }
        LOG.warn("telegram inbox {}: polling failed ({}); retrying", inbox.id(),
            e.getClass().getSimpleName());
        sleep(backoff);
      }
    }
  }

  private JsonNode fetch(long offset) throws IOException {
    ObjectNode params = BotApi.params();
    if (offset > 0) {
      params.put("offset", offset);
    }
    params.put("timeout", timeout.toSeconds());
    TelegramChannel.ALLOWED_UPDATES.forEach(params.putArray("allowed_updates")::add);
    Request request = new Request.Builder().url(api.methodUrl("getUpdates"))
        .post(RequestBody.create(BotApi.JSON.writeValueAsBytes(params), JSON)).build();
    Call call = http.newCall(request);
    current = call;
    if (!running) {
      call.cancel();
    }
    try (Response response = call.execute()) {
      BotApi.Reply reply = BotApi.read(response);
      if (!reply.ok()) {
        LOG.warn("telegram inbox {}: getUpdates refused with {}", inbox.id(), reply.errorCode());
        sleep(reply.retryAfter() != null ? reply.retryAfter() : backoff);
        return null;
      }
      return reply.result();
    } catch (IOException e) {
      throw BotApi.sanitized("getUpdates", e);
    } finally {
      current = null;
    }
  }

  private void answerCallback(String id) {
    try {
      ObjectNode params = BotApi.params();
      params.put("callback_query_id", id);
      api.call("answerCallbackQuery", params);
    } catch (IOException e) {
      LOG.debug("telegram inbox {}: answerCallbackQuery failed", inbox.id());
    }
  }

  private synchronized void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    try {
      while (running && System.nanoTime() < until) {
        wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Stops polling: cancels the waiting {@code getUpdates} and waits (up to 10 seconds) for a
   * batch being stored to finish. The thread is not interrupted, so a commit is never cut.
   */
  @Override
  public void close() {
    running = false;
    Call call = current;
    if (call != null) {
      call.cancel();
    }
    synchronized (this) {
      notifyAll();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
