package io.switchboard.channel.email;

import io.switchboard.SwitchboardException;
import java.io.IOException;

/**
 * The blob store could not store an attachment of a mail. Unlike a mail that cannot be
 * parsed, this is not the mail's fault and may pass: the mail is not parked but handed back
 * to whoever delivered it ({@link EmailChannel#receive} throws it, {@link ImapPoller#poll}
 * stops before the mail), and the blobs already stored for it are deleted.
 */
final class AttachmentStorageException extends SwitchboardException {
  AttachmentStorageException(long accountId, IOException cause) {
    super("the blob store could not store an attachment of a mail for account " + accountId
        + "; nothing was stored: hand the mail over again", cause);
  }
}
