/** Small shared pieces: dates, states, links to documents, error boxes. */
import { getLang, stateLabel } from './i18n';

/**
 * The business time zone (the server's BUSINESS_TIMEZONE, Asia/Shanghai by default): times are shown in it and
 * typed in it, whatever zone the browser is in — one zone for reading and writing.
 */
export const BUSINESS_ZONE = 'Asia/Shanghai';
/** a short label for time inputs, e.g. "Asia/Shanghai (UTC+8)" */
export const zoneLabel = () => `${BUSINESS_ZONE} (UTC${offsetMinutes(Date.now()) >= 0 ? '+' : '-'}${Math.abs(offsetMinutes(Date.now())) / 60})`;

/** minutes the business zone is ahead of UTC at an instant */
export function offsetMinutes(at: number, zone = BUSINESS_ZONE): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((wall - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The instant of a wall-clock time typed as YYYY-MM-DDTHH:mm[:ss] in the business zone (ISO string). */
export function zonedToInstant(text: string, zone = BUSINESS_ZONE): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text.trim());
  if (!m) return new Date(text).toISOString(); // an explicit offset or Z: taken as written
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  let at = wall - offsetMinutes(wall, zone) * 60_000;
  at = wall - offsetMinutes(at, zone) * 60_000; // once more across a daylight-saving change
  return new Date(at).toISOString();
}

/** An instant as YYYY-MM-DDTHH:mm in the business zone (a datetime-local input's value). */
export function instantToZoned(iso: string, zone = BUSINESS_ZONE): string {
  const at = new Date(iso).getTime();
  return new Date(at + offsetMinutes(at, zone) * 60_000).toISOString().slice(0, 16);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(getLang() === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: BUSINESS_ZONE, dateStyle: 'medium', timeStyle: 'short' });
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
