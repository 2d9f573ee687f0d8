package io.switchboard.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {
  @TempDir
  Path root;

  @Test
  void storesContentUnderARandomKeyWithItsExtensionInTheAccountsFolder() throws IOException {
    FileSystemBlobStore store = FileSystemBlobStore.create(root);
    String key = store.put(7, "Photo.JPG", stream("pixels"));
    String other = store.put(7, "Photo.JPG", stream("pixels"));

    assertThat(key).matches("[0-9a-f]{32}\\.jpg").isNotEqualTo(other);
    try (InputStream in = store.open(7, key).orElseThrow()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("pixels");
    }
    assertThat(store.open(8, key)).isEmpty();
    // nothing but the blobs themselves: no temporary files left behind
    assertThat(files(root.resolve("7"))).containsExactlyInAnyOrder(key, other);
  }

  @Test
  void aFailedWriteLeavesNoFileBehind() throws IOException {
    FileSystemBlobStore store = FileSystemBlobStore.create(root);
    InputStream failing = new InputStream() {
      private int left = 3;

      @Override
      public int read() throws IOException {
        if (left-- > 0) {
          return 'x';
        }
        throw new IOException("connection reset");
      }
    };

    assertThatThrownBy(() -> store.put(1, "a.png", failing)).hasMessage("connection reset");
    assertThat(files(root.resolve("1"))).isEmpty();
  }

  @Test
  void deletesAndRefusesKeysItDidNotMake() throws IOException {
    FileSystemBlobStore store = FileSystemBlobStore.create(root);
    String key = store.put(1, null, stream("x"));
    assertThat(key).matches("[0-9a-f]{32}");

    store.delete(1, key);
    assertThat(store.open(1, key)).isEmpty();
    assertThatThrownBy(() -> store.open(1, "../../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static java.util.List<String> files(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }
}
