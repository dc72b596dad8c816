/** Bar charts in plain SVG: a few dozen lines instead of a chart library (the KPIs need bars and a target line). */
export interface Bar {
  label: string;
  value: number;
  /** shown instead of the value */
  text?: string;
}

export function BarChart({ bars, max, target, percent = false, testId }: { bars: Bar[]; max?: number; target?: number; percent?: boolean; testId?: string }) {
  const width = Math.max(320, bars.length * 46 + 40);
  const height = 180;
  const top = 16;
  const bottom = 34;
  const plot = height - top - bottom;
  const highest = max ?? Math.max(1, ...bars.map((b) => b.value));
  const y = (v: number) => top + plot - (v / highest) * plot;
  const slot = (width - 40) / Math.max(1, bars.length);
  return (
    <svg class="chart" data-testid={testId} viewBox={`0 0 ${width} ${height}`} width="100%" role="img">
      <line x1="30" x2={width - 5} y1={y(0)} y2={y(0)} class="axis" />
      {target !== undefined && <line x1="30" x2={width - 5} y1={y(target)} y2={y(target)} class="target" />}
      {bars.map((b, i) => {
        const x = 35 + i * slot;
        const w = Math.max(6, slot - 10);
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
