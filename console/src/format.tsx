/** Small shared pieces: dates, states, links to documents, error boxes. */
import { getLang, stateLabel } from './i18n';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(getLang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' });
}

export const StateBadge = ({ state }: { state: string }) => (
  <span class={`state state-${state}`} data-state={state}>
    {stateLabel(state)}
  </span>
);

export const DocLink = ({ id, children }: { id: string; children: any }) => <a href={`#/doc/${encodeURIComponent(id)}`}>{children}</a>;

export const ErrorBox = ({ error }: { error: string }) => (
  <p class="refusal" role="alert">
    {error}
  </p>
);
