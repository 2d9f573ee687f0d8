package io.switchboard.internal;

import io.switchboard.store.JobRecord;

/**
 * The payload of a job about one message ({@link Jobs#SEND}, {@link Jobs#FETCH}):
 * {@code accountId:messageId}.
 */
record MessageJob(long accountId, long messageId) {
  static MessageJob of(JobRecord job) {
    String[] parts = job.payload().split(":");
    return new MessageJob(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
  }

  String payload() {
    return accountId + ":" + messageId;
  }
}
