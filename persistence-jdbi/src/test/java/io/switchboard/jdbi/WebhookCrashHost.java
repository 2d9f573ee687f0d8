package io.switchboard.jdbi;

import io.switchboard.RetryPolicy;
import io.switchboard.Switchboard;
import io.switchboard.channel.InboundContact;
import io.switchboard.channel.InboundMessage;
import io.switchboard.model.Account;
import io.switchboard.model.Inbox;
import io.switchboard.webhook.WebhookDraft;
import io.switchboard.webhook.WebhookEvent;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host process for the webhook crash test, run as a real subprocess and killed with SIGKILL.
 *
 * <p>Arguments: {@code <h2|postgres> <h2 file | jdbc url> <user> <password> <schema> <count>
 * <receiver url>}. It creates a webhook on the receiver (which answers 503 while this process
 * lives), commits {@code count} messages, prints {@code COMMITTED <accountId> <webhookId>} and
 * waits to be killed, with deliveries queued, some of them already attempted.
 */
public final class WebhookCrashHost {
  private WebhookCrashHost() {}

  public static void main(String[] args) throws Exception {
    JdbiStore store = args[0].equals("h2") ? JdbiStore.h2File(Path.of(args[1]))
        : JdbiStore.pooled(args[1], args[2], args[3].equals("-") ? "" : args[3], args[4], 8);
    int count = Integer.parseInt(args[5]);
    Switchboard sb = Switchboard.builder()
        .store(store)
        .channel(io.switchboard.channel.api.ApiChannel.create())
        .allowPrivateNetworkWebhooks(true)
        .webhookRetryPolicy(new RetryPolicy(100, Duration.ofMillis(200), Duration.ofSeconds(1), 0.2))
        .jobLease(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .build();
    Account account = sb.admin().createAccount("Crash");
    var webhook = sb.webhooks().create(account.id(), WebhookDraft.of(args[6],
        AccountWebhooksContract.SECRET, WebhookEvent.MESSAGE_CREATED));
    Inbox api = sb.admin().createInbox(account.id(), io.switchboard.InboxDraft.of("API",
        io.switchboard.model.ChannelType.API, java.util.Map.of()));
    for (int i = 0; i < count; i++) {
      sb.incoming().receive(account.id(), api.id(), InboundMessage.text("api-" + i,
          InboundContact.of("contact-" + (i % 3), null), "message " + i));
    }
    System.out.println("COMMITTED " + account.id() + " " + webhook.id());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
