package io.switchboard.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  @Override
  public String put(long accountId, String fileName, InputStream content) throws IOException {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String key = HexFormat.of().formatHex(id) + extension(fileName);
    Path dir = root.resolve(Long.toString(accountId));
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "upload", ".tmp");
    try {
      Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
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
