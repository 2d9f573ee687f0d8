package io.switchboard.jdbi.internal;

/**
 * Conversation display ids come from a sequence per account, as in Chatwoot: taking one holds
 * no lock until the end of the transaction, so transactions that open conversations in one
 * account do not wait for each other. A transaction that rolls back leaves a gap.
 */
public final class DisplayIds {
  private DisplayIds() {}

  static String name(long accountId) {
    return "conv_dpid_seq_" + accountId;
  }

  /** The statement that creates the sequence of an account, starting at {@code start}. */
  public static String create(long accountId, long start, boolean postgres) {
    // PostgreSQL caches one value per session by default; H2 must be told not to cache
    return "CREATE SEQUENCE " + name(accountId) + " START WITH " + start
        + (postgres ? "" : " NO CACHE");
  }

  /** The query that takes the next display id of an account. */
  static String next(long accountId, boolean postgres) {
    return postgres
        ? "SELECT nextval('" + name(accountId) + "')"
        : "SELECT NEXT VALUE FOR " + name(accountId);
  }
}
