-- The transition floor, run by pgbench (and, with the document id as $1 and the value as $2, by bench/floor.ts).
-- The same work the API does for updateServiceRequest on a DRAFT request, in one transaction:
--   1. lock the document row (SELECT … FOR UPDATE);
--   2. in one statement, on a snapshot taken after the lock: check the state allows the event (DRAFT or RETURNED),
--      update the changed field, version + 1 and updated_at, read the previous audit event of the document and
--      append the next one: seq + 1, prev_hash, and hash = sha256(prev hash || '\n' || canonical content)
--      (canonical content here is jsonb's text form; the API uses its own canonical JSON: the same work, not the same bytes);
--   3. commit.
-- Variables: ndocs (1 … ndocs rows of bench_target, the DRAFT requests under test; 10 for the hot variant).
\set n random(1, :ndocs)
\set v random(1, 1000000000)
BEGIN;
SELECT id, state, version FROM service_request WHERE id = (SELECT id FROM bench_target WHERE n = :n) FOR UPDATE;
WITH cur AS (
  SELECT id, state, version, special_requirements FROM service_request WHERE id = (SELECT id FROM bench_target WHERE n = :n)
), upd AS (
  UPDATE service_request s SET special_requirements = 'bench ' || :v, version = cur.version + 1, updated_at = now()
  FROM cur WHERE s.id = cur.id AND cur.state IN ('DRAFT', 'RETURNED')
  RETURNING s.id, s.state, s.version, s.updated_at, cur.special_requirements AS old, s.special_requirements AS new
), prev AS (
  SELECT seq, hash FROM audit_event WHERE document_id = (SELECT id FROM upd) ORDER BY seq DESC LIMIT 1
), actor AS (
  SELECT id, name, roles FROM app_user WHERE login = 'agent-1'
), content AS (
  SELECT upd.id, upd.state, upd.version, upd.updated_at, coalesce(prev.seq, 0) + 1 AS seq, prev.hash AS prev_hash,
         actor.id AS actor_id, actor.name AS actor_name, actor.roles AS actor_roles,
         jsonb_build_object('specialRequirements', jsonb_build_object('from', upd.old, 'to', upd.new)) AS changes
  FROM upd CROSS JOIN actor LEFT JOIN prev ON TRUE
), ins AS (
  INSERT INTO audit_event (document_type, document_id, seq, event, from_state, to_state, version, actor_id, actor_name, actor_roles, at, changes, prev_hash, hash)
  SELECT 'ServiceRequest', id, seq, 'UPDATE', state, state, version, actor_id, actor_name, actor_roles, updated_at, changes, prev_hash,
         encode(sha256(convert_to(coalesce(prev_hash, '') || chr(10) || jsonb_build_object(
           'documentType', 'ServiceRequest', 'documentId', id, 'seq', seq, 'event', 'UPDATE', 'fromState', state, 'toState', state,
           'version', version, 'actorId', actor_id, 'actorName', actor_name, 'actorRoles', actor_roles, 'at', updated_at,
           'reason', NULL, 'changes', changes, 'requestId', NULL, 'idempotencyKey', NULL)::text, 'UTF8')), 'hex')
  FROM content
  RETURNING seq
)
SELECT json_build_object('data', json_build_object('updateServiceRequest', json_build_object(
  'serviceRequest', json_build_object('state', upd.state, 'version', upd.version), 'userErrors', '[]'::json)))::text AS body
FROM upd;
END;
