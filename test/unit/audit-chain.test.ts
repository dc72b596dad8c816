import { canonicalJson, hashEvent, verifyChain } from '../../src/workflow/audit';
import type { AuditEvent } from '../../src/workflow/workflow.entities';

function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  const states = ['DRAFT', 'SUBMITTED', 'ACCEPTED', 'IN_SERVICE'];
  for (let i = 0; i < n; i++) {
    const e = {
      id: String(i + 1),
      documentType: 'ServiceRequest',
      documentId: '6f1c2f8e-8a4e-4a57-9d0e-000000000001',
      seq: i + 1,
      event: i === 0 ? 'CREATE' : 'NEXT',
      fromState: i === 0 ? null : states[i - 1],
      toState: states[i],
      version: i + 1,
      actorId: '6f1c2f8e-8a4e-4a57-9d0e-000000000002',
      actorName: 'Li Na',
      actorRoles: ['AGENT'],
      at: new Date(Date.UTC(2026, 10, 1, 8, i)),
      reason: null,
      changes: { field: { from: i, to: i + 1 } },
      requestId: `r${i}`,
      idempotencyKey: null,
      prevHash: events[i - 1]?.hash ?? null,
      hash: '',
    } as AuditEvent;
    e.hash = hashEvent(e.prevHash, e);
    events.push(e);
  }
  return events;
}

describe('audit hash chain', () => {
  test('canonical JSON sorts keys at every level and ignores undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  test('an untouched chain verifies', () => {
    expect(verifyChain(chain(4))).toEqual({ valid: true, eventCount: 4, brokenAtSeq: null, reason: null });
  });

  test('an altered field breaks the chain at that event', () => {
    const events = chain(4);
    events[2].actorName = 'Mallory';
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });

  test('a re-hashed altered event still breaks the link of the next one', () => {
    const events = chain(4);
    events[1].reason = 'rewritten';
    events[1].hash = hashEvent(events[1].prevHash, events[1]);
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });

  test('a deleted event is a gap', () => {
    const events = chain(4);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3 });
  });
});
