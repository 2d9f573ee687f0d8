package io.switchboard.jdbi.migration;

import java.util.Locale;
import java.util.Set;

/** The tables of Switchboard's schema, for migrations that go over them by kind. */
final class OwnTables {
  private OwnTables() {}

  /**
   * Every table the migrations create, in upper case as H2 reports them. A migration that
   * changes "every table with such a column" changes only these: a host may keep its own tables
   * in the same schema.
   */
  static final Set<String> NAMES = Set.of(
      "ACCOUNTS", "USERS", "ACCOUNT_USERS", "TEAMS", "TEAM_MEMBERS", "INBOXES", "INBOX_MEMBERS",
      "CONTACTS", "CONTACT_INBOXES", "CONVERSATIONS", "CONVERSATION_LABELS", "MESSAGES",
      "ATTACHMENTS", "EVENTS", "JOBS", "RAW_REQUESTS", "CHANNEL_STATE", "WEBHOOKS", "AGENT_BOTS",
      "WEBHOOK_DELIVERIES", "WEBHOOK_ATTEMPTS", "MESSAGE_PARTS");

  static boolean owns(String table) {
    return NAMES.contains(table.toUpperCase(Locale.ROOT));
  }
}
