/**
 * The workflow explorer: every machine the API describes in `workflows`, drawn by Mermaid (bundled from npm,
 * loaded only on this page), with its events and who may send them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api';
import { docTypeBoth, eventLabel, roleLabel, stateLabel, t } from '../i18n';
import { ErrorBox } from '../format';

interface Workflow {
  type: string;
  prefix: string;
  initialState: string;
  mermaid: string;
  createMutation: string | null;
  states: Array<{ name: string; final: boolean }>;
  events: Array<{ name: string; mutation: string | null; roles: string[]; system: boolean; description: string }>;
}

let mermaidReady: Promise<typeof import('mermaid').default> | null = null;
function loadMermaid() {
  mermaidReady ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', fontFamily: 'system-ui, sans-serif' });
    return mermaid;
  });
  return mermaidReady;
}

let renders = 0;
function Diagram({ workflow }: { workflow: Workflow }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadMermaid()
      .then((mermaid) => mermaid.render(`wf-${workflow.prefix}-${++renders}`, workflow.mermaid))
      .then(({ svg }) => {
        if (live && ref.current) ref.current.innerHTML = svg;
      })
      .catch((e) => live && setError(String(e?.message ?? e)));
    return () => {
      live = false;
    };
  }, [workflow.mermaid]);
  return (
    <>
      {error && <ErrorBox error={error} />}
      <div class="diagram" ref={ref} data-testid="diagram" />
    </>
  );
}

export function ExplorerPage() {
  const [workflows, setWorkflows] = useState<Workflow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql<{ workflows: Workflow[] }>('{ workflows { type prefix initialState mermaid createMutation states { name final } events { name mutation roles system description } } }')
      .then(({ data }) => setWorkflows(data.workflows))
      .catch((e) => setError(e.message));
  }, []);
  if (error) return <ErrorBox error={error} />;
  if (!workflows) return <p>{t('loading')}</p>;
  return (
    <div class="explorer" data-testid="explorer">
      <h2 class="page-title">{t('explorer')}</h2>
      <nav class="toc">
        {workflows.map((w) => (
          <a href={`#/explorer`} onClick={(e) => { e.preventDefault(); document.getElementById(`wf-${w.type}`)?.scrollIntoView(); }}>
            {w.prefix} · {docTypeBoth(w.type)}
          </a>
        ))}
      </nav>
      {workflows.map((w) => (
        <section class="card workflow" id={`wf-${w.type}`} data-type={w.type} key={w.type}>
          <h3>
            {docTypeBoth(w.type)} <span class="muted">{w.prefix}-… · {stateLabel(w.initialState)}</span>
          </h3>
          <Diagram workflow={w} />
          <details>
            <summary>
              {t('events')} ({w.events.length})
            </summary>
            <table>
              <tbody>
                {w.events.map((ev) => (
                  <tr key={ev.name}>
                    <td>
                      <strong>{eventLabel(ev.name)}</strong>
                    </td>
                    <td>{ev.mutation ?? '—'}</td>
                    <td>
                      {ev.roles.map(roleLabel).join(', ')}
                      {ev.system && ` (${t('systemEvent')})`}
                    </td>
                    <td class="muted">{ev.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
      ))}
    </div>
  );
}
