/**
 * "My queue": for each of the caller's roles, the documents waiting for them — the list queries of the schema
 * with state filters (and `overdue: true` for deadlines past due). Each section is its own request, so a list
 * a role may not read leaves the others standing.
 */
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import { docTypeLabel, sectionLabel, t } from '../i18n';
import type { Me } from '../api';
import { DocLink, ErrorBox, StateBadge, formatTime } from '../format';

interface Section {
  key: string;
  list: string;
  type: string;
  args: string;
  extra?: string;
}

const s = (key: string, list: string, type: string, args: string, extra = ''): Section => ({ key, list, type, args, extra });

/** What each role has to do (SPEC: who sends which event), in the order a person works through it. */
export const QUEUES: Record<string, Section[]> = {
  AGENT: [
    s('requestsToReview', 'serviceRequests', 'ServiceRequest', 'filter: { state: [SUBMITTED] }, orderBy: PRIORITY', 'flagged urgency'),
    // approved tasks whose dispatch notice (售後服務通知單) customer service has not issued yet
    s('tasksToDispatch', 'serviceTasks', 'ServiceTask', 'filter: { state: [ASSIGNED, CONFIRMED, IN_PROGRESS], dispatched: false }'),
    s('acceptancesToVerify', 'serviceAcceptances', 'ServiceAcceptance', 'filter: { state: [PASSED] }'),
    s('complaintsToHandle', 'complaints', 'Complaint', 'filter: { state: [RECEIVED, CLASSIFIED, RESOLVED, FOLLOW_UP] }'),
    s('consultationsOpen', 'consultations', 'Consultation', 'filter: { state: [LOGGED, PENDING_REPLY] }'),
    s('overdueRequests', 'serviceRequests', 'ServiceRequest', 'filter: { overdue: true }', 'flagged urgency'),
  ],
  SUPERVISOR: [
    s('tasksToApprove', 'serviceTasks', 'ServiceTask', 'filter: { state: [PENDING_APPROVAL] }'),
    // a record the customer has not signed cannot be approved yet: it waits in the customer's queue, not here
    s('recordsToReview', 'serviceRecords', 'ServiceRecord', 'filter: { state: [SUBMITTED], customerSigned: true }'),
    s('acceptedRequests', 'serviceRequests', 'ServiceRequest', 'filter: { state: [ACCEPTED] }, orderBy: PRIORITY', 'flagged urgency'),
    s('requisitionsToApprove', 'partsRequisitions', 'PartsRequisition', 'filter: { state: [PENDING_APPROVAL] }'),
    s('complaintsToInvestigate', 'complaints', 'Complaint', 'filter: { state: [ASSIGNED, INVESTIGATING] }'),
    s('reportsToReview', 'serviceReports', 'ServiceReport', 'filter: { state: [PENDING_REVIEW] }'),
    s('overdueTasks', 'serviceTasks', 'ServiceTask', 'filter: { overdue: true }'),
  ],
  EXECUTIVE: [
    s('tasksToApproveExecutive', 'serviceTasks', 'ServiceTask', 'filter: { state: [PENDING_EXECUTIVE] }'),
    s('requisitionsToApprove', 'partsRequisitions', 'PartsRequisition', 'filter: { state: [PENDING_EXECUTIVE] }'),
    s('complaintsToApprove', 'complaints', 'Complaint', 'filter: { state: [PENDING_APPROVAL] }'),
    s('reportsToApprove', 'serviceReports', 'ServiceReport', 'filter: { state: [PENDING_APPROVAL] }'),
  ],
  TECHNICIAN: [
    s('myTasks', 'serviceTasks', 'ServiceTask', 'filter: { state: [ASSIGNED, CONFIRMED, IN_PROGRESS] }'),
    s('myOpenRecords', 'serviceRecords', 'ServiceRecord', 'filter: { state: [OPEN] }'),
    s('overdueTasks', 'serviceTasks', 'ServiceTask', 'filter: { overdue: true }'),
  ],
  CUSTOMER: [
    s('acceptancesToSign', 'serviceAcceptances', 'ServiceAcceptance', 'filter: { state: [PENDING_CUSTOMER] }'),
    s('recordsToSign', 'serviceRecords', 'ServiceRecord', 'filter: { state: [SUBMITTED], customerSigned: false }'),
    s('requestsToFix', 'serviceRequests', 'ServiceRequest', 'filter: { state: [DRAFT, RETURNED] }'),
    s('quotesToConsent', 'serviceTasks', 'ServiceTask', 'filter: { state: [ASSIGNED, CONFIRMED, IN_PROGRESS] }'),
    s('myRequests', 'serviceRequests', 'ServiceRequest', ''),
  ],
  STOREKEEPER: [s('requisitionsToIssue', 'partsRequisitions', 'PartsRequisition', 'filter: { state: [APPROVED] }')],
};

interface Row {
  id: string;
  number: string;
  state: string;
  createdAt: string;
  flagged?: boolean;
  urgency?: string;
}

function QueueSection({ section }: { section: Section }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const args = section.args ? `first: 20, ${section.args}` : 'first: 20';
    gql(`{ list: ${section.list}(${args}) { totalCount nodes { id number state createdAt ${section.extra ?? ''} } } }`)
      .then(({ data }) => {
        setRows(data.list.nodes);
        setTotal(data.list.totalCount);
      })
      .catch((e) => setError(e.message));
  }, [section]);
  return (
    <section class="card queue-section" data-section={section.key} data-loaded={String(rows !== null || error !== null)}>
      <h2>
        {sectionLabel(section.key)} <span class="count">{rows ? total : ''}</span>
      </h2>
      {error && <ErrorBox error={error} />}
      {!rows && !error && <p>{t('loading')}</p>}
      {rows && rows.length === 0 && <p class="muted">{t('empty')}</p>}
      {rows && rows.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('number')}</th>
              <th>{t('type')}</th>
              <th>{t('state')}</th>
              <th>{t('created')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-number={r.number}>
                <td>
                  <DocLink id={r.id}>{r.number}</DocLink> {r.flagged && <span class="flag">{r.urgency ?? t('flagged')}</span>}
                </td>
                <td>{docTypeLabel(section.type)}</td>
                <td>
                  <StateBadge state={r.state} />
                </td>
                <td>{formatTime(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface Escalation {
  id: string;
  documentId: string;
  documentType: string;
  kind: string;
  level: string;
  dueAt: string;
  raisedAt: string;
}

function Escalations() {
  const [rows, setRows] = useState<Escalation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql('{ escalations(first: 20, filter: { acknowledged: false }) { nodes { id documentId documentType kind level dueAt raisedAt } } }')
      .then(({ data }) => setRows(data.escalations.nodes))
      .catch((e) => setError(e.message));
  }, []);
  return (
    <section class="card queue-section" data-section="escalations" data-loaded={String(rows !== null || error !== null)}>
      <h2>
        {sectionLabel('escalations')} <span class="count">{rows ? rows.length : ''}</span>
      </h2>
      {error && <ErrorBox error={error} />}
      {rows && rows.length === 0 && <p class="muted">{t('empty')}</p>}
      {rows && rows.length > 0 && (
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <DocLink id={r.documentId}>{docTypeLabel(r.documentType)}</DocLink>
                </td>
                <td>{r.kind}</td>
                <td>{r.level}</td>
                <td>
                  {t('due')} {formatTime(r.dueAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function QueuePage({ me }: { me: Me }) {
  const seen = new Set<string>();
  const sections = me.roles.flatMap((role) => QUEUES[role] ?? []).filter((sec) => !seen.has(sec.key + sec.args) && seen.add(sec.key + sec.args));
  const escalated = me.roles.includes('SUPERVISOR') || me.roles.includes('EXECUTIVE');
  return (
    <div class="queue" data-testid="queue">
      <h2 class="page-title">{t('queue')}</h2>
      {sections.length === 0 && !escalated && <p class="muted">{t('empty')}</p>}
      <div class="grid">
        {escalated && <Escalations />}
        {sections.map((sec) => (
          <QueueSection key={sec.key + sec.args} section={sec} />
        ))}
      </div>
    </div>
  );
}
