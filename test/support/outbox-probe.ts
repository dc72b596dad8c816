/**
 * Preloaded into API processes by test/e2e/jobs.test.ts: an outbox consumer
 * that records, in the consumer's transaction, which process handled which
 * row (the table outbox_probe is made by the test).
 */
import { registerOutboxConsumer } from '../../src/jobs/outbox';

registerOutboxConsumer('test-probe', async (event, { manager }) => {
  await manager.query('INSERT INTO outbox_probe (outbox_event_id, audit_event_id, pid) VALUES ($1, $2, $3)', [event.id, event.auditEventId, process.pid]);
});
