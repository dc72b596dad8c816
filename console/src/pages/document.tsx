/**
 * A document's page: its fields, a button for each event the API lists in `availableEvents` (a disabled one
 * says why not), a form for the event's input, and the timeline from `history` and `deadlines`. A refusal is
 * shown as the API words it, and nothing on the page changes (a refused mutation changed nothing).
 */
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import { docTypeBoth, eventLabel, fieldLabel, stateLabel, t } from '../i18n';
import { detailQuery, documentQuery, formFields, schema } from '../schema';
import { ErrorBox, StateBadge, formatTime } from '../format';
import { Fields, Refusal, toInput, type Values } from '../input-form';

interface AvailableEvent {
  event: string;
  mutation: string;
  allowed: boolean;
  code: string | null;
  reason: string | null;
}
interface HistoryEvent {
  seq: number;
  event: string;
  fromState: string | null;
  toState: string;
  at: string;
  reason: string | null;
  actor: { name: string };
  actorRoles: string[];
}
interface Deadline {
  kind: string;
  openedAt: string;
  dueAt: string;
  metAt: string | null;
  breached: boolean;
  escalationLevel: string | null;
}
type Doc = Record<string, any> & { __typename: string; id: string; number: string; state: string; version: number; availableEvents: AvailableEvent[]; history: { totalCount: number; nodes: HistoryEvent[] }; deadlines?: Deadline[] };

const SKIP = new Set(['__typename', 'id', 'availableEvents', 'history', 'deadlines']);
/** shown first; the rest follow in the schema's (alphabetical) order */
const FIRST = ['number', 'state', 'version', 'customer', 'createdBy', 'createdAt', 'updatedAt', 'category', 'serviceType', 'urgency', 'subject', 'title', 'description', 'targetDepartment', 'department', 'assignee'];
const rank = (k: string) => (FIRST.indexOf(k) + 1 || FIRST.length + 1);

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object' && value !== null && 'name' in value) return String((value as { name: string }).name);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return formatTime(value);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  return String(value);
}

/** columns not worth a person's reading in a detail table */
const HIDDEN = /^(id|__typename|sha256|location)$|Id$/;

/** One nested part of the document: an object as a list of its fields, a list as a table. */
function Detail({ name, value }: { name: string; value: unknown }) {
  const rows = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown> | string>;
  if (rows.length === 0) return null;
  const columns = [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : [])))].filter((k) => !HIDDEN.test(k));
  return (
    <section class="card detail" data-detail={name}>
      <h3>
        {fieldLabel(name)} {Array.isArray(value) && <span class="count">{rows.length}</span>}
      </h3>
      {!Array.isArray(value) ? (
        <dl class="fields">
          {columns.map((k) => (
            <>
              <dt>{fieldLabel(k)}</dt>
              <dd data-field={k}>{show((value as Record<string, unknown>)[k])}</dd>
            </>
          ))}
        </dl>
      ) : columns.length === 0 ? (
        <p>{rows.map(show).join(', ')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {columns.map((k) => (
                <th>{fieldLabel(k)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                {columns.map((k) => (
                  <td data-field={k}>{show((r as Record<string, unknown>)[k])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EventForm({ doc, event, onDone, onClose }: { doc: Doc; event: AvailableEvent; onDone: (message: string) => void; onClose: () => void }) {
  const fields = formFields(event.mutation);
  const [values, setValues] = useState<Values>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fire = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      const m = schema.mutations[event.mutation];
      const input = { id: doc.id, expectedVersion: doc.version, ...toInput(fields, values) };
      const { data, errors } = await gql(`mutation Fire($input: ${m.input}${m.inputRequired ? '!' : ''}) { result: ${event.mutation}(input: $input) { userErrors { code message field } } }`, { input });
      const userErrors: Array<{ code: string; message: string; field: string | null }> = data.result?.userErrors ?? [];
      if (userErrors.length) setRefusal(userErrors.map((u) => `${u.code}: ${u.message}${u.field ? ` (${u.field})` : ''}`).join('\n'));
      else if (errors?.length) setRefusal(errors.map((x) => x.message).join('\n'));
      else onDone(`${eventLabel(event.event)} — ${t('done')}`);
    } catch (error) {
      setRefusal((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card event-form" onSubmit={fire} data-event={event.event}>
      <h3>{eventLabel(event.event)}</h3>
      <Fields fields={fields} values={values} setValues={setValues} />
      <Refusal text={refusal} />
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy} data-testid="confirm">
          {t('confirm')}
        </button>
        <button type="button" onClick={onClose}>
          {t('cancelForm')}
        </button>
      </div>
    </form>
  );
}

export function DocumentPage({ id }: { id: string }) {
  const [doc, setDoc] = useState<Doc | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<AvailableEvent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [details, setDetails] = useState<Array<[string, unknown]>>([]);
  const load = async () => {
    try {
      const typed = await gql<{ node: { __typename: string } | null }>('query ($id: ID!) { node(id: $id) { __typename } }', { id });
      if (!typed.data.node || !schema.documents[typed.data.node.__typename]) return setDoc(null);
      const type = typed.data.node.__typename;
      const { data } = await gql<{ node: Doc }>(documentQuery(type), { id });
      setDoc(data.node);
      // the nested parts (entries, sign-off evidence, dispatch notice, contact…), each on its own: one the caller
      // may not read is left out, not the page
      const parts = await Promise.all(
        Object.keys(schema.documents[type].nested ?? {}).map((field) =>
          gql<{ node: Record<string, unknown> | null }>(detailQuery(type, field)!, { id })
            .then(({ data: d }) => [field, d?.node?.[field]] as [string, unknown])
            .catch(() => [field, null] as [string, unknown]),
        ),
      );
      setDetails(parts.filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  if (error) return <ErrorBox error={error} />;
  if (doc === undefined) return <p>{t('loading')}</p>;
  if (doc === null) return <ErrorBox error={t('notFound')} />;

  const fields = Object.entries(doc)
    .filter(([k]) => !SKIP.has(k))
    .sort(([a], [b]) => rank(a) - rank(b));
  // what can be done now first; then what this caller may not do, with why; events of other states folded away
  const allowed = doc.availableEvents.filter((e) => e.allowed);
  const refused = doc.availableEvents.filter((e) => !e.allowed && e.code !== 'INVALID_TRANSITION');
  const otherStates = doc.availableEvents.filter((e) => !e.allowed && e.code === 'INVALID_TRANSITION');
  const eventItem = (ev: AvailableEvent) => (
    <li key={ev.event} data-event={ev.event} data-allowed={String(ev.allowed)}>
      <button type="button" class={ev.allowed ? 'primary' : ''} disabled={!ev.allowed} title={ev.reason ?? ''} onClick={() => { setNotice(null); setOpen(ev); }}>
        {eventLabel(ev.event)}
      </button>
      {!ev.allowed && (
        <span class="reason" data-code={ev.code ?? ''}>
          {ev.reason}
        </span>
      )}
    </li>
  );
  return (
    <div class="document" data-testid="document" data-type={doc.__typename} data-state={doc.state}>
      <h2 class="page-title">
        <span class="muted">{docTypeBoth(doc.__typename)}</span> {doc.number} <StateBadge state={doc.state} />
      </h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <div class="columns">
        <section class="card">
          <h3>{t('actions')}</h3>
          {doc.availableEvents.length === 0 && <p class="muted">{t('noActions')}</p>}
          <ul class="events">
            {allowed.map(eventItem)}
            {refused.map(eventItem)}
          </ul>
          {otherStates.length > 0 && (
            <details class="other-states">
              <summary>
                {t('otherStates')} ({otherStates.length})
              </summary>
              <ul class="events">{otherStates.map(eventItem)}</ul>
            </details>
          )}
          {open && (
            <EventForm
              key={open.event}
              doc={doc}
              event={open}
              onClose={() => setOpen(null)}
              onDone={(message) => {
                setOpen(null);
                setNotice(message);
                void load();
              }}
            />
          )}
        </section>
        <section class="card">
          <h3>{t('fields')}</h3>
          <dl class="fields">
            {fields.map(([k, v]) => (
              <>
                <dt>{fieldLabel(k)}</dt>
                <dd data-field={k}>{k === 'state' ? stateLabel(String(v)) : show(v)}</dd>
              </>
            ))}
          </dl>
        </section>
      </div>
      {details.map(([name, value]) => (
        <Detail key={name} name={name} value={value} />
      ))}
      {doc.deadlines && (
        <section class="card">
          <h3>{t('deadlines')}</h3>
          {doc.deadlines.length === 0 && <p class="muted">{t('empty')}</p>}
          <ul class="deadlines">
            {doc.deadlines.map((d) => (
              <li key={d.kind + d.openedAt} class={d.breached ? 'breached' : d.metAt ? 'met' : 'open'}>
                <strong>{d.kind}</strong> — {t('due')} {formatTime(d.dueAt)} · {d.metAt ? `${t('met')} ${formatTime(d.metAt)}` : t('open')}
                {d.breached && <span class="flag">{t('breached')}</span>}
                {d.escalationLevel && <span class="flag">{d.escalationLevel}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h3>
          {t('timeline')} <span class="count">{doc.history.totalCount}</span>
        </h3>
        <ol class="timeline" data-testid="timeline">
          {doc.history.nodes.map((h) => (
            <li key={h.seq} data-event={h.event}>
              <time>{formatTime(h.at)}</time> <strong>{eventLabel(h.event)}</strong> {h.fromState ? stateLabel(h.fromState) : '∅'} → {stateLabel(h.toState)} · {t('by')} {h.actor.name}
              {h.reason && <div class="muted">{h.reason}</div>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
