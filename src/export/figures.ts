/**
 * Figures (nested JSON: the statistics, a report's frozen figures) as CSV rows of `figure, value`: one row
 * per number, named by its path — `services.errorRate`, `requests.byChannel.PHONE`. Entries of a list are
 * named by their `label` or `key` where they have one (a bucket, a category), else by their position.
 */
export type FigureRow = [figure: string, value: unknown];

export function figureRows(value: unknown, path = ''): FigureRow[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      const name = item && typeof item === 'object' && !Array.isArray(item) ? ((item as any).label ?? (item as any).key ?? i) : i;
      // the naming field is the row's name, not a figure of its own
      const rest = item && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => !((k === 'label' || k === 'key') && (item as any)[k] === name))) : item;
      return figureRows(rest, join(path, String(name)));
    });
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) return Object.entries(value).flatMap(([k, v]) => figureRows(v, join(path, k)));
  return [[path, value instanceof Date ? value.toISOString() : value]];
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** A parameter given at most once; a repeated one is refused by the caller's `refuse`. */
export function single(params: URLSearchParams, name: string, refuse: (message: string, field: string) => never): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) refuse(`${name} takes one value.`, name);
  return values[0] === '' ? undefined : values[0];
}
