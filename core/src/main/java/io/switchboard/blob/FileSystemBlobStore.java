package io.switchboard.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Stores blobs as files below a root directory, one folder per account. Keys are 32 random hex
 * characters plus a sanitised extension.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}(\\.[A-Za-z0-9]{1,10})?");
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path root;

  private FileSystemBlobStore(Path root) {
    this.root = root;
  }

  /** A store below {@code root}, created when missing. */
  public static FileSystemBlobStore create(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create blob directory " + root, e);
    }
    return new FileSystemBlobStore(root);
  }

  /**
   * Writes the content to a new file under a fresh random key. The file is created once, under
   * its final name: no one reads a key before this method has returned it, and a write that
   * fails deletes what it wrote. (A temporary file renamed into place cost two or three inode
   * creations per blob, the largest single cost of a media download in the benchmark.)
   */
  @Override
  public String put(long accountId, String fileName, InputStream content) throws IOException {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String key = HexFormat.of().formatHex(id) + extension(fileName);
    Path dir = root.resolve(Long.toString(accountId));
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    Path file = dir.resolve(key);
    boolean written = false;
    try {
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        content.transferTo(out);
      }
      written = true;
    } finally {
      if (!written) {
        Files.deleteIfExists(file);
      }
    }
    return key;
  }

  @Override
  public Optional<InputStream> open(long accountId, String key) throws IOException {
    Path file = file(accountId, key);
    return Files.exists(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
  }

  @Override
  public void delete(long accountId, String key) throws IOException {
    Files.deleteIfExists(file(accountId, key));
  }

  private Path file(long accountId, String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a blob key of this store");
    }
    return root.resolve(Long.toString(accountId)).resolve(key);
  }

  private static String extension(String fileName) {
    if (fileName == null) {
      return "";
    }
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) {
      return "";
    }
    String ext = fileName.substring(dot + 1);
    return ext.matches("[A-Za-z0-9]{1,10}") ? "." + ext.toLowerCase(java.util.Locale.ROOT) : "";
  }
}
