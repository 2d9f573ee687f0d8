package io.switchboard.jdbi;

import io.switchboard.InboxDraft;
import io.switchboard.Switchboard;
import io.switchboard.channel.WebhookRequest;
import io.switchboard.model.Account;
import io.switchboard.model.Inbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A host process for the crash tests, run as a real subprocess and killed with SIGKILL.
 *
 * <p>Arguments: {@code <h2|postgres> <h2 file | jdbc url> <user> <password> <schema> <count>
 * [stored]}. It ingests {@code count} messages through the Java API and {@code count} webhooks
 * through the test channel, while its async listener blocks and its message inserts for
 * webhooks fail, so that committed events and acknowledged webhooks are left undelivered. With
 * {@code stored} it acknowledges webhooks once stored
 * ({@link io.switchboard.WebhookAcknowledgement#AFTER_STORING}) and holds its ingest lanes
 * before their first lookup instead, so that the acknowledged webhooks are still queued in
 * memory. It prints {@code COMMITTED <accountId>} and waits to be killed.
 */
public final class CrashHost {
  private CrashHost() {}

  public static void main(String[] args) throws Exception {
    JdbiStore jdbi = args[0].equals("h2") ? JdbiStore.h2File(Path.of(args[1]))
        : JdbiStore.pooled(args[1], args[2], args[3].equals("-") ? "" : args[3], args[4], 8);
    FailingStore store = new FailingStore(jdbi);
    int count = Integer.parseInt(args[5]);
    boolean stored = args.length > 6 && args[6].equals("stored");
    Switchboard sb = Switchboard.builder()
        .webhookAcknowledgement(stored ? io.switchboard.WebhookAcknowledgement.AFTER_STORING
            : io.switchboard.WebhookAcknowledgement.AFTER_PROCESSING)
        .store(store)
        .channel(io.switchboard.channel.api.ApiChannel.create())
        .channel(new TestChannel())
        .jobLease(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .asyncListener("recorder", event -> Thread.sleep(Long.MAX_VALUE))
        .build();
    Account account = sb.admin().createAccount("Crash");
    Inbox api = sb.admin().createInbox(account.id(), InboxDraft.of("API",
        io.switchboard.model.ChannelType.API, Map.of()));
    sb.admin().createInbox(account.id(), InboxDraft.of("Hook", TestChannel.TYPE,
        Map.of("bot", "crash-bot-" + account.id(), "secret", "crash-secret")));
    for (int i = 0; i < count; i++) {
      sb.incoming().receive(account.id(), api.id(), io.switchboard.channel.InboundMessage.text(
          "api-" + i, io.switchboard.channel.InboundContact.of("contact-" + (i % 3), null),
          "message " + i));
    }
    if (stored) {
      store.gate = new java.util.concurrent.CountDownLatch(1);
    } else {
      store.failInserts.set(true);
    }
    for (int i = 0; i < count; i++) {
      int status = sb.incoming().handleWebhook(TestChannel.TYPE, WebhookRequest
          .builder("POST", "/hook").header("X-Test-Secret", "crash-secret")
          .body(TestChannel.payload("crash-bot-" + account.id(), "hook-" + i, "web-" + i, "hook " + i))
          .build()).status();
      if (status != 200) {
        throw new IllegalStateException("webhook answered " + status);
      }
    }
    System.out.println("COMMITTED " + account.id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
