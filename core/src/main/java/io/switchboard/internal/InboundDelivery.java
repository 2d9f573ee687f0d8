package io.switchboard.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.NotFoundException;
import io.switchboard.SwitchboardException;
import io.switchboard.channel.RoutedEvent;
import io.switchboard.store.JobRecord;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests the events of a stored webhook request. Each event is applied in its own
 * transaction and idempotently, so a retry after a partial failure or a crash creates nothing
 * twice.
 */
public final class InboundDelivery implements Jobs.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(InboundDelivery.class);
  private final Engine engine;
  private final IncomingPipeline pipeline;

  public InboundDelivery(Engine engine, IncomingPipeline pipeline) {
    this.engine = engine;
    this.pipeline = pipeline;
  }

  /** The job's payload: the raw request it came from and its verified events. */
  public record Payload(@JsonProperty("raw_request_id") long rawRequestId,
      @JsonProperty("events") List<RoutedEvent> events) {}

  @Override
  public Jobs.Outcome run(JobRecord job) {
    Payload payload = Json.read(job.payload(), Payload.class);
    for (RoutedEvent routed : payload.events()) {
      try {
        pipeline.apply(routed.accountId(), routed.inboxId(), routed.event(), false);
      } catch (NotFoundException e) {
        LOG.info("inbound event for a missing inbox {} skipped", routed.inboxId());
      } catch (SwitchboardException e) {
        if (e instanceof io.switchboard.store.StoreConflictException) {
          throw e;
        }
        // a permanent problem with one event (too long, invalid) must not block the others
        LOG.warn("inbound event {} of request {} refused: {}", routed.event(),
            payload.rawRequestId(), e.getMessage());
      }
    }
    engine.tx(tx -> {
      tx.markRawRequest(payload.rawRequestId(), true, null);
      tx.deleteJob(job.id());
      return null;
    });
    return Jobs.Outcome.doneAndDeleted();
  }

  @Override
  public void gaveUp(JobRecord job, String lastError) {
    Payload payload = Json.read(job.payload(), Payload.class);
    engine.tx(tx -> {
      tx.markRawRequest(payload.rawRequestId(), false, lastError);
      return null;
    });
  }
}
