/**
 * Opaque Relay ids: base64url("Type:uuid"). Clients must not parse them; the
 * server refuses an id of another type or a malformed one as NOT_FOUND,
 * before any SQL runs.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  const type = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  return UUID.test(id) ? { type, id: id.toLowerCase() } : null;
}

/** The uuid behind a global id of the expected type, or null. */
export function idOf(globalId: string | null | undefined, type: string): string | null {
  if (!globalId) return null;
  const parsed = fromGlobalId(globalId);
  return parsed && parsed.type === type ? parsed.id : null;
}
