package io.switchboard.blob;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where attachment bytes live. Keys are opaque, unguessable strings chosen by the store.
 * Implementations must be thread-safe. The default is {@link FileSystemBlobStore}.
 */
public interface BlobStore {

  /**
   * Stores bytes read from {@code content} and returns their key.
   *
   * @param accountId the owning account, so that a store can separate tenants
   * @param fileName a file name hint, may be null
   * @param content the bytes; read to the end, not closed
   */
  String put(long accountId, String fileName, InputStream content) throws IOException;

  /** Opens the bytes stored under {@code key} for {@code accountId}. */
  Optional<InputStream> open(long accountId, String key) throws IOException;

  /** Removes the bytes stored under {@code key}; no error when absent. */
  void delete(long accountId, String key) throws IOException;
}
