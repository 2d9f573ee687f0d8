package io.switchboard;

import io.switchboard.blob.BlobStore;
import io.switchboard.blob.FileSystemBlobStore;
import io.switchboard.channel.ChannelContext;
import io.switchboard.channel.ChannelProvider;
import io.switchboard.event.Dispatcher;
import io.switchboard.event.Listener;
import io.switchboard.internal.AsyncListener;
import io.switchboard.internal.Engine;
import io.switchboard.internal.EventDelivery;
import io.switchboard.internal.DeferredIngest;
import io.switchboard.internal.InboundDelivery;
import io.switchboard.internal.IncomingPipeline;
import io.switchboard.internal.JobRunner;
import io.switchboard.internal.Jobs;
import io.switchboard.internal.SendDelivery;
import io.switchboard.internal.SnoozeTimer;
import io.switchboard.internal.SyncDispatcher;
import io.switchboard.internal.WebhookDispatch;
import io.switchboard.internal.WebhookFanout;
import io.switchboard.internal.WebhookServiceImpl;
import io.switchboard.webhook.WebhookService;
import io.switchboard.model.ChannelType;
import io.switchboard.store.JobRecord;
import io.switchboard.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;

/**
 * The entry point: one per application, thread-safe, built with {@link #builder()}.
 *
 * <pre>{@code
 * Switchboard switchboard = Switchboard.builder()
 *     .store(JdbiStore.h2File(Path.of("data/switchboard")))
 *     .channel(ApiChannel.create())
 *     .asyncListener("audit", event -> audit.record(event))
 *     .build();
 * }</pre>
 *
 * <p>{@link #close()} stops the background workers, waits for running jobs to finish and
 * closes the store. Work not finished is kept in the database and picked up by the next start.
 */
public final class Switchboard implements AutoCloseable {
  private final Engine engine;
  private final JobRunner jobs;
  private final Store store;
  private final OkHttpClient ownedHttp;
  private final AdminService admin;
  private final ContactService contacts;
  private final ConversationService conversations;
  private final MessageService messages;
  private final IncomingService incoming;
  private final DeferredIngest deferred;
  private final WebhookService webhooks;
  private final Map<ChannelType, ChannelProvider> providers;
  private final ChannelContext channelContext;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Switchboard(Builder b) {
    this.store = Objects.requireNonNull(b.store, "a store is required: builder().store(...)");
    Dispatcher dispatcher = b.dispatcher != null ? b.dispatcher : new SyncDispatcher(b.syncListeners);
    if (b.dispatcher != null) {
      b.syncListeners.forEach(b.dispatcher::register);
    }
    WebhookFanout fanout = new WebhookFanout();
    List<AsyncListener> asyncListeners = new ArrayList<>(b.asyncListeners);
    asyncListeners.add(new AsyncListener(WebhookFanout.NAME, fanout));
    this.engine = new Engine(store, b.clock, dispatcher, asyncListeners);
    fanout.bind(engine);
    this.ownedHttp = b.http == null ? new OkHttpClient.Builder()
        .connectTimeout(10, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
        .callTimeout(60, TimeUnit.SECONDS).build() : null;
    OkHttpClient http = b.http != null ? b.http : ownedHttp;
    BlobStore blobs = b.blobs != null ? b.blobs : FileSystemBlobStore.create(
        Path.of(System.getProperty("java.io.tmpdir"), "switchboard-blobs"));
    this.channelContext = new ChannelContext(http, b.clock, blobs, new io.switchboard.channel.ChannelState() {
      @Override
      public java.util.Optional<String> get(String key) {
        return engine.tx(tx -> tx.findChannelState(key));
      }

      @Override
      public void put(String key, String value) {
        engine.tx(tx -> {
          tx.putChannelState(key, value, engine.now());
          return null;
        });
      }
    }, b.allowPrivateNetworkWebhooks);
    this.providers = new EnumMap<>(ChannelType.class);
    for (ChannelProvider p : b.channels) {
      if (providers.putIfAbsent(p.type(), p) != null) {
        throw new IllegalArgumentException("two channel providers for " + p.type().wireName());
      }
      p.init(channelContext);
    }
    IncomingPipeline pipeline = new IncomingPipeline(engine, b.floodLimit);
    Map<String, AsyncListener> byName = new LinkedHashMap<>();
    for (AsyncListener a : asyncListeners) {
      if (byName.putIfAbsent(a.name(), a) != null) {
        throw new IllegalArgumentException("two async listeners named " + a.name());
      }
    }
    Map<String, Jobs.Handler> handlers = new LinkedHashMap<>(b.jobHandlers);
    handlers.put(Jobs.EVENT, new EventDelivery(engine, byName));
    handlers.put(Jobs.SEND, new SendDelivery(engine, providers));
    handlers.put(Jobs.INBOUND, new InboundDelivery(engine, pipeline));
    handlers.put(Jobs.FETCH, new io.switchboard.internal.AttachmentFetch(engine, providers));
    handlers.put(Jobs.WEBHOOK, new WebhookDispatch(engine, http, b.webhookTimeout,
        b.allowPrivateNetworkWebhooks, b.webhookRetryPolicy, false, b.webhookFailureLimit,
        Map.of()));
    handlers.put(Jobs.AGENT_BOT, new WebhookDispatch(engine, http, b.webhookTimeout,
        b.allowPrivateNetworkWebhooks, b.agentBotRetryPolicy, true, 0, b.agentBots));
    this.jobs = new JobRunner(engine, handlers, b.retryPolicy, b.jobLease, b.pollInterval,
        b.workerThreads, b.workerExecutor, b.scheduler);
    jobs.every("snooze", b.snoozeCheckInterval, new SnoozeTimer(engine, jobs::closing));
    engine.onJobsQueued(jobs::wake);
    this.admin = new AdminService(engine, providers);
    this.contacts = new ContactService(engine);
    this.conversations = new ConversationService(engine);
    this.messages = new MessageService(engine, b.floodLimit);
    this.deferred = b.webhookAcknowledgement == WebhookAcknowledgement.AFTER_STORING
        ? new DeferredIngest(engine, pipeline, jobs, Math.max(1, store.concurrentWriters()))
        : null;
    this.incoming = new IncomingService(engine, pipeline, providers, jobs, b.maxWebhookBytes,
        deferred);
    this.webhooks = new WebhookServiceImpl(engine, b.allowPrivateNetworkWebhooks);
    if (b.startWorkers) {
      jobs.start();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Accounts, agents, teams, inboxes. */
  public AdminService admin() {
    return admin;
  }

  /** Contacts. */
  public ContactService contacts() {
    return contacts;
  }

  /** Conversations and agents' operations on them. */
  public ConversationService conversations() {
    return conversations;
  }

  /** Replies, notes, listing, statuses. */
  public MessageService messages() {
    return messages;
  }

  /** Provider webhooks and host-submitted messages. */
  public IncomingService incoming() {
    return incoming;
  }

  /** Account webhooks, agent bots and their delivery log. */
  public WebhookService webhooks() {
    return webhooks;
  }

  /** The sync dispatcher, to add listeners at run time. */
  public Dispatcher dispatcher() {
    return engine.dispatcher();
  }

  /** The shared HTTP client, clock and blob store, as channel providers see them. */
  public ChannelContext channelContext() {
    return channelContext;
  }

  /** The registered channel provider of {@code type}. */
  public java.util.Optional<ChannelProvider> channel(ChannelType type) {
    return java.util.Optional.ofNullable(providers.get(type));
  }

  /**
   * The account's event log after {@code afterSequence}, oldest first, at most {@code limit}
   * events: what a reconnecting real-time client missed.
   */
  public List<io.switchboard.event.Event> events(long accountId, long afterSequence, int limit) {
    return engine.tx(tx -> tx.listEvents(accountId, afterSequence, limit)).stream()
        .map(r -> io.switchboard.internal.Json.readEvent(r.payload(), r.sequence()))
        .toList();
  }

  /**
   * The sequence of the account's latest event in the log, or 0 when it has none. A client
   * that reads this before it reads its state over HTTP can then subscribe to the real-time
   * hub with it as {@code lastSequence}: what was committed after the read is replayed.
   */
  public long latestEventSequence(long accountId) {
    return engine.tx(tx -> tx.latestEventSequence(accountId));
  }

  /** Jobs the retry policy gave up on, newest first, for inspection. */
  public List<JobRecord> deadJobs(int limit) {
    return engine.tx(tx -> tx.listDeadJobs(limit));
  }

  /** Asks the background workers to look for due work now. */
  public void wakeWorkers() {
    jobs.wake();
  }

  /**
   * Stops claiming jobs, waits up to 10 seconds for the ingest lanes to process the webhook
   * deliveries they hold (with {@link WebhookAcknowledgement#AFTER_STORING}) and up to 10
   * seconds for the jobs already running, and closes the store. Jobs not started (or still
   * running at the deadline) stay queued in the store for
   * the next start. A {@link Builder#workerExecutor host's pool} and
   * {@link Builder#scheduler host's scheduler} are left running.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (deferred != null) {
      // before the workers: a lane runs the job of an input it could not process in bulk
      deferred.close();
    }
    jobs.close();
    if (ownedHttp != null) {
      ownedHttp.dispatcher().executorService().shutdown();
      ownedHttp.connectionPool().evictAll();
    }
    store.close();
  }

  /** The default webhook retry policy: 16 attempts from 30 s up to 1 h apart, ±20 %. */
  public static final RetryPolicy WEBHOOK_RETRY =
      new RetryPolicy(16, Duration.ofSeconds(30), Duration.ofHours(1), 0.2);

  /** The default agent-bot retry policy: 4 attempts from 2 s up to 8 s apart, ±20 %. */
  public static final RetryPolicy AGENT_BOT_RETRY =
      new RetryPolicy(4, Duration.ofSeconds(2), Duration.ofSeconds(8), 0.2);

  /** Configures a {@link Switchboard}. */
  public static final class Builder {
    private Store store;
    private final List<ChannelProvider> channels = new ArrayList<>();
    private final List<Listener> syncListeners = new ArrayList<>();
    private final List<AsyncListener> asyncListeners = new ArrayList<>();
    private final Map<String, Jobs.Handler> jobHandlers = new LinkedHashMap<>();
    private Dispatcher dispatcher;
    private Clock clock = Clock.systemUTC();
    private OkHttpClient http;
    private BlobStore blobs;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private int floodLimit = 200;
    private int workerThreads = 4;
    private ExecutorService workerExecutor;
    private ScheduledExecutorService scheduler;
    private Duration pollInterval = Duration.ofMillis(500);
    private Duration jobLease = Duration.ofSeconds(60);
    private Duration snoozeCheckInterval = Duration.ofSeconds(15);
    private int maxWebhookBytes = 1024 * 1024;
    private WebhookAcknowledgement webhookAcknowledgement = WebhookAcknowledgement.AFTER_PROCESSING;
    private boolean startWorkers = true;
    private boolean allowPrivateNetworkWebhooks;
    private RetryPolicy webhookRetryPolicy = WEBHOOK_RETRY;
    private RetryPolicy agentBotRetryPolicy = AGENT_BOT_RETRY;
    private Duration webhookTimeout = Duration.ofSeconds(15);
    private int webhookFailureLimit = 10;
    private final Map<String, Listener> agentBots = new LinkedHashMap<>();

    private Builder() {}

    /** The store (required). Switchboard closes it on {@link Switchboard#close()}. */
    public Builder store(Store value) {
      store = value;
      return this;
    }

    /** Registers a channel provider; one per channel type. */
    public Builder channel(ChannelProvider provider) {
      channels.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /** Adds a listener that runs right after each commit in the committing thread. */
    public Builder syncListener(Listener listener) {
      syncListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds a listener fed from the transactional outbox, at least once, on worker threads.
     * The name identifies its queued deliveries across restarts: keep it stable.
     */
    public Builder asyncListener(String name, Listener listener) {
      asyncListeners.add(new AsyncListener(name, listener));
      return this;
    }

    /** Replaces the default sync dispatcher (sync listeners given here are registered on it). */
    public Builder dispatcher(Dispatcher value) {
      dispatcher = value;
      return this;
    }

    /** The clock for every timestamp and schedule (default: system UTC). */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** The shared HTTP client; by default Switchboard creates and owns one. */
    public Builder httpClient(OkHttpClient value) {
      http = value;
      return this;
    }

    /** Where attachments are stored (default: a folder below {@code java.io.tmpdir}). */
    public Builder blobStore(BlobStore value) {
      blobs = value;
      return this;
    }

    /** How async listeners and sends are retried (default {@link RetryPolicy#DEFAULT}). */
    public Builder retryPolicy(RetryPolicy value) {
      retryPolicy = Objects.requireNonNull(value, "retryPolicy");
      return this;
    }

    /** Messages allowed per conversation per minute (default 200; 0 turns the limit off). */
    public Builder floodLimit(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("floodLimit must not be negative");
      }
      floodLimit = value;
      return this;
    }

    /**
     * Background worker threads (default 4): how many jobs run at once, on Switchboard's own
     * pool or on the {@link #workerExecutor(ExecutorService) host's}.
     */
    public Builder workerThreads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("workerThreads must be at least 1");
      }
      workerThreads = value;
      return this;
    }

    /**
     * Runs background jobs (sends, async listeners, webhook deliveries, attachment fetches) on
     * the host's pool instead of a pool of {@link #workerThreads(int)} threads that
     * Switchboard creates. {@code workerThreads} still caps how many jobs Switchboard runs on
     * it at once. {@link Switchboard#close()} waits for the jobs it handed to the pool but
     * never shuts the pool down: the host does.
     */
    public Builder workerExecutor(ExecutorService value) {
      workerExecutor = Objects.requireNonNull(value, "workerExecutor");
      return this;
    }

    /**
     * Runs the job poller and the timers (such as the one that reopens snoozed conversations)
     * on the host's scheduler instead of a thread Switchboard creates. They are short tasks
     * that read and write the store. {@link Switchboard#close()} cancels them and waits for a
     * running one, but never shuts the scheduler down: the host does.
     */
    public Builder scheduler(ScheduledExecutorService value) {
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    /** How often workers look for due jobs when not woken by a commit (default 500 ms). */
    public Builder pollInterval(Duration value) {
      pollInterval = Objects.requireNonNull(value, "pollInterval");
      return this;
    }

    /**
     * How long a worker's claim on a job lasts (default 60 s). A job whose worker died is taken
     * over by another worker after this time.
     */
    public Builder jobLease(Duration value) {
      jobLease = Objects.requireNonNull(value, "jobLease");
      return this;
    }

    /**
     * How often snoozed conversations whose {@code snoozed_until} has passed are looked for
     * and reopened (default 15 s; the first look is at start). Reopening is done by the
     * system: status {@code open}, {@code snoozed_until} cleared, the events of a status
     * change. Time is read from the {@link #clock(Clock) clock}.
     */
    public Builder snoozeCheckInterval(Duration value) {
      Objects.requireNonNull(value, "snoozeCheckInterval");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("snoozeCheckInterval must be positive");
      }
      snoozeCheckInterval = value;
      return this;
    }

    /** The largest webhook body accepted (default 1 MiB); larger ones get 413. */
    public Builder maxWebhookBytes(int value) {
      maxWebhookBytes = value;
      return this;
    }

    /**
     * When a provider's webhook is answered (default
     * {@link WebhookAcknowledgement#AFTER_PROCESSING}). With
     * {@link WebhookAcknowledgement#AFTER_STORING}, Switchboard runs its own ingest lanes (one
     * thread each; one on H2, four on PostgreSQL: {@code Store.concurrentWriters()}) that process
     * the stored deliveries in bulk; {@link Switchboard#close()} lets them finish what is queued.
     */
    public Builder webhookAcknowledgement(WebhookAcknowledgement value) {
      webhookAcknowledgement = java.util.Objects.requireNonNull(value, "webhookAcknowledgement");
      return this;
    }

    /**
     * Whether to start the background workers and timers (default true). Without them
     * nothing is sent, no async listener is called and no snoozed conversation reopens.
     */
    public Builder startWorkers(boolean value) {
      startWorkers = value;
      return this;
    }

    /**
     * Registers a handler for a custom kind of durable job. For Switchboard's own modules;
     * see {@code io.switchboard.internal.Jobs}.
     */
    public Builder jobHandler(String kind, Jobs.Handler handler) {
      jobHandlers.put(kind, handler);
      return this;
    }

    /**
     * Whether webhook, agent-bot and API-inbox {@code webhook_url} URLs may resolve to
     * loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local or unspecified
     * addresses (default false: refused when saved and again at every delivery). Turn on for
     * tests and for receivers inside your own network.
     */
    public Builder allowPrivateNetworkWebhooks(boolean value) {
      allowPrivateNetworkWebhooks = value;
      return this;
    }

    /**
     * How webhook deliveries are retried after a timeout, 408, 429 or 5xx (default
     * {@link #WEBHOOK_RETRY}: 16 attempts from 30 seconds up to an hour apart, about 9 hours).
     */
    public Builder webhookRetryPolicy(RetryPolicy value) {
      webhookRetryPolicy = Objects.requireNonNull(value, "webhookRetryPolicy");
      return this;
    }

    /**
     * How deliveries to agent bots are retried before the bot is taken for dead and its
     * pending conversation opened for the agents (default {@link #AGENT_BOT_RETRY}: 4 attempts
     * within about 15 seconds).
     */
    public Builder agentBotRetryPolicy(RetryPolicy value) {
      agentBotRetryPolicy = Objects.requireNonNull(value, "agentBotRetryPolicy");
      return this;
    }

    /** The whole-call timeout of one webhook or agent-bot POST (default 15 s). */
    public Builder webhookTimeout(Duration value) {
      webhookTimeout = Objects.requireNonNull(value, "webhookTimeout");
      return this;
    }

    /**
     * After how many failed deliveries in a row a webhook is disabled, emitting
     * {@code webhook.disabled} (default 10; 0 never disables). A delivery fails when the
     * receiver answers 4xx (other than 408 and 429) or when its retries run out.
     */
    public Builder webhookFailureLimit(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("webhookFailureLimit must not be negative");
      }
      webhookFailureLimit = value;
      return this;
    }

    /**
     * Registers an in-process agent bot under {@code name}; attach it to an inbox with
     * {@code webhooks().attachAgentBot(accountId, inboxId, AgentBotDraft.callback(botName, name))}.
     * It is called on a worker thread with the inbox's {@code message.created},
     * {@code message.updated}, {@code conversation.opened} and {@code conversation.resolved}
     * events, at least once; it may block and call Switchboard's API (reply as
     * {@code AgentBot.actor()}, hand off with {@code changeStatus(..., OPEN, ...)}). An
     * exception has the event delivered again; when the agent-bot retry policy gives up, the
     * conversation is opened for the agents.
     */
    public Builder agentBot(String name, Listener callback) {
      if (agentBots.putIfAbsent(Objects.requireNonNull(name, "name"),
          Objects.requireNonNull(callback, "callback")) != null) {
        throw new IllegalArgumentException("two agent bots named " + name);
      }
      return this;
    }

    public Switchboard build() {
      return new Switchboard(this);
    }
  }
}
