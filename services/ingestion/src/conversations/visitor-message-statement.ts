/**
 * Visitors' messages stored in ONE statement per batch: no BEGIN/COMMIT round trips, one plan (prepared once per
 * connection), one commit for every message that arrived while the previous batch was being written. A single
 * statement is atomic in PostgreSQL, so it is all or nothing: the messages, their conversations (found, created,
 * touched or reopened), the idle deadlines, the "reopened" notes and the outbox rows.
 *
 * Exactly once without a transaction to roll back: a conversation is only touched when one of its messages was
 * inserted (`touched` reads `stored`), so a repeated provider id changes nothing. A message that is neither stored
 * nor found stored before (the same provider id twice in one batch, or another statement creating the same new
 * conversation at the same moment) stored nothing; the caller runs it again on its own.
 *
 * The outbox rows are written with the columns `@leadline/messaging`'s Outbox writes (id, subject, type, source,
 * ce_subject, payload, trace_headers): the relay publishes them like any other. Their payloads are built here from
 * the columns (`MessageReceived` and `ConversationReopened` of libs/contracts, timestamps as JavaScript's
 * toISOString() writes them), rather than sent along as JSON that repeats every column; the service tests check
 * the published events against the contract.
 *
 * Parameters are arrays, one element per message (unnest keeps them in step), plus the event subjects and types.
 */
export const RECORD_VISITOR_MESSAGES = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::uuid[], $6::uuid[], $7::text[], $8::text[],
    $9::text[], $10::timestamptz[], $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::jsonb[], $16::int[],
    $17::uuid[], $18::uuid[], $19::uuid[], $25::text[])
  WITH ORDINALITY AS i(account_id, channel, visitor_key, identifiers, new_conversation_id, message_id, author, text,
    provider_message_id, sent_at, subject, quoted_text, signature_text, attachments, trace_headers, idle_window,
    outbox_id, note_id, reopen_outbox_id, channel_address, n)
), existing AS (
  -- LATERAL lookups kept apart by OFFSET 0: the prepared statement's generic plan, made while a table may still be
  -- small, would otherwise hash-join whole tables for ever; this way every lookup is an index probe.
  SELECT i.n, m.id, m.conversation_id FROM input i
  CROSS JOIN LATERAL (SELECT id, conversation_id FROM messages
    WHERE account_id = i.account_id AND channel = i.channel AND provider_message_id = i.provider_message_id OFFSET 0) m
), fresh AS (
  SELECT i.* FROM input i WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.n = i.n)
), found AS (
  -- Locked in (account, channel, visitor key) order, the same in every batch, so no two batches wait on each other:
  -- a batch writing to the same conversation at the same moment commits first, and this one then reads the status
  -- it left (so only one of them reopens it).
  SELECT l.id, l.status, l.account_id, l.channel, l.visitor_key
  FROM (SELECT DISTINCT account_id, channel, visitor_key FROM fresh ORDER BY account_id, channel, visitor_key) f
  CROSS JOIN LATERAL (SELECT id, status, account_id, channel, visitor_key FROM conversations
    WHERE account_id = f.account_id AND channel = f.channel AND visitor_key = f.visitor_key AND detached_at IS NULL
    FOR UPDATE) l
), created AS (
  -- A new conversation starts with the identifiers of all its messages in the batch (touched below only reaches
  -- conversations that existed before this statement), and the id the earliest of them brought.
  INSERT INTO conversations (id, account_id, channel, visitor_key, channel_address, identifiers, idle_deadline)
  SELECT v.new_conversation_id, v.account_id, v.channel, v.visitor_key, v.channel_address, v.identifiers,
    now() + v.idle_window * interval '1 second'
  FROM (
    SELECT f.account_id, f.channel, f.visitor_key, (array_agg(f.new_conversation_id ORDER BY f.n))[1] AS new_conversation_id,
      (array_agg(f.channel_address ORDER BY f.n))[1] AS channel_address,
      max(f.idle_window) AS idle_window, coalesce(jsonb_agg(DISTINCT x) FILTER (WHERE x IS NOT NULL), '[]'::jsonb) AS identifiers
    FROM fresh f LEFT JOIN LATERAL jsonb_array_elements(f.identifiers) x ON true
    WHERE NOT EXISTS (SELECT 1 FROM found c WHERE c.account_id = f.account_id AND c.channel = f.channel AND c.visitor_key = f.visitor_key)
    GROUP BY f.account_id, f.channel, f.visitor_key
    ORDER BY f.account_id, f.channel, f.visitor_key
  ) v
  ON CONFLICT (account_id, channel, visitor_key) WHERE detached_at IS NULL DO NOTHING
  RETURNING id, account_id, channel, visitor_key
), conv AS (
  SELECT id, status, account_id, channel, visitor_key FROM found
  UNION ALL SELECT id, 'new', account_id, channel, visitor_key FROM created
), msg AS (
  -- created_at is the moment of the insert, after the conversation's lock was taken (see idle-scheduler.ts).
  INSERT INTO messages (id, account_id, conversation_id, channel, author, member_id, text, provider_message_id, sent_at,
    subject, quoted_text, signature_text, attachments, trace_headers, created_at)
  SELECT f.message_id, f.account_id, c.id, f.channel, f.author, NULL::uuid, f.text, f.provider_message_id, f.sent_at,
    f.subject, f.quoted_text, f.signature_text, f.attachments, f.trace_headers, clock_timestamp()
  FROM fresh f JOIN conv c ON c.account_id = f.account_id AND c.channel = f.channel AND c.visitor_key = f.visitor_key
  ORDER BY f.n
  ON CONFLICT (account_id, channel, provider_message_id) DO NOTHING
  RETURNING id, conversation_id
), stored AS (
  SELECT f.*, msg.conversation_id FROM msg JOIN fresh f ON f.message_id = msg.id
), activity AS (
  -- One pass over the batch (not a sub-select per conversation): the identifiers its new messages brought.
  SELECT s.conversation_id, max(s.idle_window) AS idle_window,
    coalesce(jsonb_agg(DISTINCT x) FILTER (WHERE x IS NOT NULL), '[]'::jsonb) AS identifiers
  FROM stored s LEFT JOIN LATERAL jsonb_array_elements(s.identifiers) x ON true
  GROUP BY s.conversation_id
), touched AS (
  UPDATE conversations c SET last_activity_at = now(), idle_deadline = now() + a.idle_window * interval '1 second',
    status = 'open', closed_at = NULL,
    identifiers = CASE WHEN c.identifiers @> a.identifiers THEN c.identifiers
      ELSE (SELECT coalesce(jsonb_agg(DISTINCT i), '[]'::jsonb) FROM jsonb_array_elements(c.identifiers || a.identifiers) i) END
  FROM activity a WHERE c.id = a.conversation_id AND c.id IN (SELECT id FROM found)
  RETURNING c.id
), reopened AS (
  SELECT DISTINCT ON (s.conversation_id) s.conversation_id AS id, s.account_id, s.channel, s.note_id, s.reopen_outbox_id, s.trace_headers
  FROM stored s JOIN conv c ON c.id = s.conversation_id WHERE c.status = 'closed'
  ORDER BY s.conversation_id, s.n
), reopen_note AS (
  INSERT INTO conversation_events (id, account_id, conversation_id, kind, data, created_at)
  SELECT note_id, account_id, id, 'reopened', '{}'::jsonb, now() FROM reopened
), queued AS (
  INSERT INTO outbox_events (id, subject, type, source, ce_subject, payload, trace_headers)
  SELECT s.outbox_id, $20::text, $21::text, $22::text, s.conversation_id::text,
    jsonb_build_object('accountId', s.account_id, 'conversationId', s.conversation_id, 'messageId', s.message_id,
      'channel', s.channel, 'author', s.author, 'text', s.text,
      'sentAt', to_char(s.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), s.trace_headers
  FROM stored s
  UNION ALL
  SELECT r.reopen_outbox_id, $23::text, $24::text, $22::text, r.id::text,
    jsonb_build_object('accountId', r.account_id, 'conversationId', r.id, 'channel', r.channel,
      'reopenedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), r.trace_headers
  FROM reopened r
)
SELECT i.n::int AS n, s.conversation_id AS stored_conversation_id, e.id AS existing_message_id,
  e.conversation_id AS existing_conversation_id
FROM input i LEFT JOIN stored s ON s.n = i.n LEFT JOIN existing e ON e.n = i.n
ORDER BY i.n`;
