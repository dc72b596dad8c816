import { canonicalJson, hashEvent, PURGE_EVENT, REASON_KEY, sealValues, upgradeChain, verifyChain } from '../../src/workflow/audit';
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
      hashVersion: 1,
      digests: null,
      salts: null,
      redactedBySeq: null,
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

describe('hash version 2: salted digests of the values, so a recorded purge can remove them', () => {
  const v2 = (events: AuditEvent[]) => upgradeChain(events)!;
  const purgeAfter = (events: AuditEvent[], fields: string[]): { events: AuditEvent[]; purges: Map<number, string[]> } => {
    const last = events.at(-1)!;
    const purge = { ...last, id: 'p', seq: last.seq + 1, event: PURGE_EVENT, fromState: last.toState, changes: { redacted: { from: null, to: fields } }, reason: null, prevHash: last.hash, hashVersion: 2 } as AuditEvent;
    Object.assign(purge, sealValues(purge.reason, purge.changes));
    purge.hash = hashEvent(purge.prevHash, purge);
    // what redact_audit_personal does: remove the listed values and their salts, mark the events
    const redacted = events.map((e) => {
      const changes = Object.fromEntries(Object.entries(e.changes).filter(([k]) => !fields.includes(k)));
      const salts = Object.fromEntries(Object.entries(e.salts ?? {}).filter(([k]) => !fields.includes(k)));
      return { ...e, changes, salts, reason: fields.includes(REASON_KEY) ? null : e.reason, redactedBySeq: purge.seq } as AuditEvent;
    });
    return { events: [...redacted, purge], purges: new Map([[purge.seq, fields]]) };
  };

  test('a verified v1 chain upgrades to v2 and verifies; a broken one is not upgraded', () => {
    const upgraded = v2(chain(4));
    expect(upgraded.every((e) => e.hashVersion === 2)).toBe(true);
    expect(verifyChain(upgraded)).toMatchObject({ valid: true });
    const broken = chain(4);
    broken[1].actorName = 'Mallory';
    expect(upgradeChain(broken)).toBeNull();
  });

  test('an altered value breaks its digest; an altered digest breaks the hash', () => {
    const events = v2(chain(3));
    events[1].changes = { field: { from: 1, to: 99 } };
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 2, reason: 'field does not match its digest' });
    const again = v2(chain(3));
    again[1].digests = { field: 'f'.repeat(64) };
    expect(verifyChain(again)).toMatchObject({ valid: false, brokenAtSeq: 2 });
  });

  test('values removed by a recorded purge still verify; a removal no purge lists does not', () => {
    const { events, purges } = purgeAfter(v2(chain(3)), ['field', REASON_KEY]);
    expect(events.slice(0, 3).every((e) => !('field' in e.changes))).toBe(true);
    expect(verifyChain(events, null, purges)).toMatchObject({ valid: true, eventCount: 4 });
    // without the PURGE event's list, the same removal is a break
    expect(verifyChain(events, null, new Map())).toMatchObject({ valid: false, brokenAtSeq: 1 });
    const other = purgeAfter(v2(chain(3)), ['somethingElse']);
    other.events[0].changes = {};
    expect(verifyChain(other.events, null, other.purges)).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'field is missing and no purge records its removal' });
  });
});
