package io.switchboard.model;

import java.util.Map;
import java.util.Objects;

/**
 * A file or structured item attached to a message. A file is either stored in the blob store
 * ({@code blobKey}) or referenced by {@code externalUrl}; a location carries coordinates; a
 * shared contact carries its fields in {@code meta}.
 *
 * @param id the attachment id (0 before it is stored)
 * @param accountId the account
 * @param messageId the message (0 before it is stored)
 * @param fileType image, audio, video, file, location, contact, sticker or fallback
 * @param externalUrl where the file can be fetched, or null
 * @param blobKey the key in the blob store, or null while the file is not downloaded
 * @param fileName the original file name, or null
 * @param contentType the MIME type, or null
 * @param fileSize the size in bytes, or null
 * @param latitude the latitude of a location, or null
 * @param longitude the longitude of a location, or null
 * @param meta further facts: a location's name and address, a shared contact's phones, the
 *     provider's media id
 */
public record Attachment(
    long id,
    long accountId,
    long messageId,
    AttachmentType fileType,
    String externalUrl,
    String blobKey,
    String fileName,
    String contentType,
    Long fileSize,
    Double latitude,
    Double longitude,
    Map<String, Object> meta) {

  /**
   * The meta key a parser sets to {@code true} on an attachment whose file the channel must
   * download after the message is stored (see {@code ChannelProvider.fetchAttachment}).
   */
  public static final String PENDING_FETCH = "pending_fetch";

  public Attachment {
    Objects.requireNonNull(fileType, "fileType");
    meta = Values.copy(meta);
  }

  /** Whether the channel still has to download this attachment's file. */
  public boolean pendingFetch() {
    return Boolean.TRUE.equals(meta.get(PENDING_FETCH));
  }

  /** A new attachment, not stored yet. */
  public static Attachment of(AttachmentType type, String externalUrl, String fileName,
      String contentType) {
    return new Attachment(0, 0, 0, type, externalUrl, null, fileName, contentType, null, null,
        null, Map.of());
  }
}
