-- Snoozed conversations by wake-up time: the timer that reopens them reads this range.
CREATE INDEX ix_conversations_snoozed ON conversations (status, snoozed_until);
