-- Provider ids of up to 1,000 characters, where they were 255: an email's Message-ID is the
-- rest of a header line, which may be 998 characters long, and other providers set no limit.
-- Both databases widen a VARCHAR in place; the unique keys on (inbox_id, source_id) stay well
-- within PostgreSQL's limit of 2,704 bytes for a B-tree entry.
ALTER TABLE contact_inboxes ALTER COLUMN source_id SET DATA TYPE VARCHAR(1000);
ALTER TABLE messages ALTER COLUMN source_id SET DATA TYPE VARCHAR(1000);
ALTER TABLE message_parts ALTER COLUMN source_id SET DATA TYPE VARCHAR(1000);
-- A raw webhook's Content-Type header, as the provider sent it, is kept up to 1,000 characters
-- (the store cuts a longer one there) instead of failing the insert over 255.
ALTER TABLE raw_requests ALTER COLUMN content_type SET DATA TYPE VARCHAR(1000);
