/** The one way the console talks to the server: POST /graphql with the bearer token kept in sessionStorage. */
const TOKEN_KEY = 'sdd-console-token';

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Runs a query or mutation; throws ApiError when there is no data (401, refused request, network). */
export async function gql<T = any>(query: string, variables?: Record<string, unknown>, bearer = token.get()): Promise<{ data: T; errors?: GqlError[] }> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(`The server cannot be reached (${(error as Error).message}).`, 0);
  }
  let body: { data?: T; errors?: GqlError[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`The server answered ${res.status} without JSON.`, res.status);
  }
  // a token that stopped working (revoked, its user deactivated): back to the sign-in form
  if (res.status === 401 && bearer && bearer === token.get()) {
    token.clear();
    dispatchEvent(new Event('sdd-signed-out'));
  }
  if (body.data === undefined || body.data === null) {
    const first = body.errors?.[0];
    throw new ApiError(first?.message ?? `HTTP ${res.status}`, res.status, first?.extensions?.code);
  }
  return { data: body.data, errors: body.errors };
}

/** Who is signed in: the console's header, and what each page offers (the roles). */
export interface Me {
  id: string;
  name: string;
  kind: string;
  roles: string[];
  department: { code: string; name: string } | null;
  customer: { code: string; name: string } | null;
}

export const ME = '{ me { id name kind roles department { code name } customer { code name } } }';
