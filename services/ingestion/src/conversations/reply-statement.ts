import { withGenericPlan } from '@leadline/persistence';

/**
 * AI and agent replies stored in ONE statement per batch, as visitors' messages are (visitor-message-statement.ts):
 * no BEGIN/COMMIT round trips and one commit for every reply that arrived while the previous batch was written.
 * All or nothing: the messages, their conversations' last activity and the outbox rows.
 *
 * A reply names its conversation, which must exist in the reply's account (`conversation_missing` otherwise). The
 * conversation is locked before its message is inserted, so created_at is after the lock, as the idle scheduler
 * expects (idle-scheduler.ts); a reply never moves the idle deadline nor reopens. A repeated provider id changes
 * nothing: the conversation is touched only when one of its replies was inserted.
 *
 * The `message.received` payload is built from the columns, as in visitor-message-statement.ts (memberId only
 * when the author is an agent); the service tests check it against the contract.
 *
 * Parameters: arrays, one element per reply (unnest keeps them in step), then the event subject, type and source.
 */
export const RECORD_REPLIES = withGenericPlan(`
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[],
    $8::timestamptz[], $9::jsonb[], $10::uuid[])
  WITH ORDINALITY AS i(account_id, conversation_id, message_id, author, member_id, text, provider_message_id, sent_at,
    trace_headers, outbox_id, n)
), conv AS (
  -- Locked in id order, the same in every batch, so no two batches wait on each other.
  SELECT c.id, c.channel FROM (SELECT DISTINCT account_id, conversation_id FROM input ORDER BY conversation_id) f
  CROSS JOIN LATERAL (SELECT id, channel FROM conversations
    WHERE id = f.conversation_id AND account_id = f.account_id FOR UPDATE) c
), existing AS (
  -- OFFSET 0 keeps each lookup an index probe whatever the generic plan thinks of the table's size.
  SELECT i.n, m.id, m.conversation_id FROM input i JOIN conv c ON c.id = i.conversation_id
  CROSS JOIN LATERAL (SELECT id, conversation_id FROM messages
    WHERE account_id = i.account_id AND channel = c.channel AND provider_message_id = i.provider_message_id OFFSET 0) m
), fresh AS (
  SELECT i.*, c.channel FROM input i JOIN conv c ON c.id = i.conversation_id
  WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.n = i.n)
), msg AS (
  INSERT INTO messages (id, account_id, conversation_id, channel, author, member_id, text, provider_message_id, sent_at,
    subject, quoted_text, signature_text, attachments, trace_headers, created_at)
  SELECT f.message_id, f.account_id, f.conversation_id, f.channel, f.author, f.member_id, f.text, f.provider_message_id,
    f.sent_at, NULL, NULL, NULL, '[]'::jsonb, f.trace_headers, clock_timestamp()
  FROM fresh f ORDER BY f.n
  ON CONFLICT (account_id, channel, provider_message_id) DO NOTHING
  RETURNING id, conversation_id
), stored AS (
  SELECT f.* FROM msg JOIN fresh f ON f.message_id = msg.id
), touched AS (
  UPDATE conversations SET last_activity_at = now() WHERE id IN (SELECT conversation_id FROM stored) RETURNING id
), queued AS (
  INSERT INTO outbox_events (id, subject, type, source, ce_subject, payload, trace_headers)
  SELECT s.outbox_id, $11::text, $12::text, $13::text, s.conversation_id::text,
    jsonb_build_object('accountId', s.account_id, 'conversationId', s.conversation_id, 'messageId', s.message_id,
      'channel', s.channel, 'author', s.author, 'text', s.text,
      'sentAt', to_char(s.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    || CASE WHEN s.member_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('memberId', s.member_id) END,
    s.trace_headers
  FROM stored s ORDER BY s.n
)
SELECT i.n::int AS n, s.conversation_id AS stored_conversation_id, e.id AS existing_message_id,
  e.conversation_id AS existing_conversation_id,
  NOT EXISTS (SELECT 1 FROM conv c WHERE c.id = i.conversation_id) AS conversation_missing
FROM input i LEFT JOIN stored s ON s.n = i.n LEFT JOIN existing e ON e.n = i.n
ORDER BY i.n`);
