-- When a send was refused because the contact blocks messages from the inbox (Telegram: the
-- user blocked the bot); null when not blocked.
ALTER TABLE contact_inboxes ADD COLUMN blocked_at TIMESTAMP WITH TIME ZONE;

-- The provider ids of the later parts of a message that went out as several provider messages
-- (the first part's id is the message's source_id): statuses and replies naming a part find
-- the message through them.
CREATE TABLE message_parts (
  account_id BIGINT NOT NULL,
  inbox_id BIGINT NOT NULL,
  source_id VARCHAR(255) NOT NULL,
  message_id BIGINT NOT NULL REFERENCES messages (id),
  CONSTRAINT pk_message_parts PRIMARY KEY (inbox_id, source_id)
);
CREATE INDEX ix_message_parts_message ON message_parts (account_id, message_id);
