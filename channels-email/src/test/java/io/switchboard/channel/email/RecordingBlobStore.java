package io.switchboard.channel.email;

import io.switchboard.blob.BlobStore;
import io.switchboard.blob.FileSystemBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blob store on a folder that records the keys it stored and deleted, and whose n-th
 * {@code put} can be made to fail, as a store in an outage would.
 */
final class RecordingBlobStore implements BlobStore {
  private final BlobStore folder;
  private final AtomicInteger puts = new AtomicInteger();
  private final Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
  final List<String> stored = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();

  RecordingBlobStore(Path root) {
    this.folder = FileSystemBlobStore.create(root);
  }

  /** Makes the {@code n}-th put from now on (1 is the next) throw {@code failure}. */
  void failPut(int n, Throwable failure) {
    failures.put(puts.get() + n, failure);
  }

  @Override
  public String put(long accountId, String fileName, InputStream content) throws IOException {
    Throwable failure = failures.remove(puts.incrementAndGet());
    if (failure instanceof IOException e) {
      content.readNBytes(16); // a store that fails while it writes
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    String key = folder.put(accountId, fileName, content);
    stored.add(key);
    return key;
  }

  @Override
  public Optional<InputStream> open(long accountId, String key) throws IOException {
    return folder.open(accountId, key);
  }

  @Override
  public void delete(long accountId, String key) throws IOException {
    deleted.add(key);
    folder.delete(accountId, key);
  }
}
