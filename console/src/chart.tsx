/** Bar charts in plain SVG: a few dozen lines instead of a chart library (the KPIs need bars and a target line). */
export interface Bar {
  label: string;
  value: number;
  /** shown instead of the value */
  text?: string;
}

export function BarChart({ bars, max, target, percent = false, testId }: { bars: Bar[]; max?: number; target?: number; percent?: boolean; testId?: string }) {
  const width = Math.max(200, bars.length * 46 + 40);
  const height = 180;
  const top = 16;
  const bottom = 34;
  const plot = height - top - bottom;
  const highest = max ?? Math.max(1, ...bars.map((b) => b.value));
  const y = (v: number) => top + plot - (v / highest) * plot;
  const slot = (width - 40) / Math.max(1, bars.length);
  return (
    <svg class="chart" data-testid={testId} viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img">
      <line x1="30" x2={width - 5} y1={y(0)} y2={y(0)} class="axis" />
      {target !== undefined && <line x1="30" x2={width - 5} y1={y(target)} y2={y(target)} class="target" />}
      {bars.map((b, i) => {
        const w = Math.min(36, Math.max(6, slot - 10));
        const x = 35 + i * slot + (slot - 10 - w) / 2;
        const below = target !== undefined && b.value < target;
        return (
          <g key={b.label} class="bar" data-label={b.label} data-value={b.value}>
            <rect x={x} y={y(b.value)} width={w} height={Math.max(0, y(0) - y(b.value))} class={below ? 'below' : ''} />
            <text x={x + w / 2} y={y(b.value) - 3} text-anchor="middle" class="value">
              {b.text ?? (percent ? `${Math.round(b.value * 100)}%` : b.value)}
            </text>
            <text x={x + w / 2} y={height - bottom + 14} text-anchor="middle" class="label">
              {b.label.length > 8 ? `${b.label.slice(0, 7)}…` : b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Rates 0…1 as horizontal bars, one line each (long labels such as deadline kinds), with the target drawn. */
export function RateBars({ bars, target, testId }: { bars: Array<Bar & { value: number | null }>; target?: number; testId?: string }) {
  const row = 22;
  const labelWidth = 190;
  const plot = 380;
  const width = labelWidth + plot + 110;
  const height = bars.length * row + 24;
  const x = (v: number) => labelWidth + v * plot;
  return (
    <svg class="chart" data-testid={testId} viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img">
      {bars.map((b, i) => {
        const y = 4 + i * row;
        const below = target !== undefined && b.value !== null && b.value < target;
        return (
          <g key={b.label} class="bar" data-label={b.label} data-value={b.value ?? ''}>
            <text x={labelWidth - 8} y={y + 13} text-anchor="end" class="label">
              {b.label}
            </text>
            <rect x={labelWidth} y={y + 2} width={Math.max(0, (b.value ?? 0) * plot)} height={row - 8} class={below ? 'below' : ''} />
            <text x={x(b.value ?? 0) + 6} y={y + 13} class="value">
              {b.text ?? (b.value === null ? '—' : `${Math.round(b.value * 100)}%`)}
            </text>
          </g>
        );
      })}
      <line x1={labelWidth} x2={labelWidth} y1={0} y2={height - 18} class="axis" />
      {target !== undefined && <line x1={x(target)} x2={x(target)} y1={0} y2={height - 18} class="target" />}
      {target !== undefined && (
        <text x={x(target)} y={height - 4} text-anchor="middle" class="label">
          {Math.round(target * 100)}%
        </text>
      )}
    </svg>
  );
}
