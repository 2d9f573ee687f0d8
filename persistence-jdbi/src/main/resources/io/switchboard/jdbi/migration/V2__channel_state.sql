-- Durable state of channels: polling offsets, mailbox UIDs. Keys carry channel and inbox.
CREATE TABLE channel_state (
  state_key VARCHAR(255) PRIMARY KEY,
  state_value ${text} NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
