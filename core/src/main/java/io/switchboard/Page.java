package io.switchboard;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing and the cursor of the next one.
 *
 * @param items the items of this page
 * @param nextCursor an opaque cursor for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  /** The cursor of the next page, when there is one. */
  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }
}
