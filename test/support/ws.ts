/** A graphql-ws client on the real server, as a Node automation would subscribe (the `ws` WebSocket). */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscriber {
  /** every `next` payload's data, in order */
  received: any[];
  /** error payloads (a refused subscription) */
  errors: unknown[];
  /** the close event's code, once the socket closed */
  closed: Promise<number>;
  completed: Promise<void>;
  client: Client;
  dispose(): Promise<void>;
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/**
 * Subscribes with `token` in the connection_init payload (or, with `via: 'header'`, in the upgrade request's
 * Authorization header; `via: 'none'` sends no token). The client does not retry: a refusal shows as `closed`.
 */
export function subscribe(url: string, token: string | null, query: string, variables?: Record<string, unknown>, via: 'payload' | 'header' | 'none' = 'payload'): Subscriber {
  const received: any[] = [];
  const errors: unknown[] = [];
  let closedWith: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  const headers = via === 'header' && token ? { authorization: `Bearer ${token}` } : undefined;
  class HeaderSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: HeaderSocket,
    connectionParams: via === 'payload' && token ? { authorization: `Bearer ${token}` } : undefined,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => closedWith((event as { code: number }).code) },
    onNonLazyError: () => undefined,
  });
  const completed = new Promise<void>((resolve) => {
    client.subscribe({ query, variables }, {
      next: (value) => void received.push(value.data ?? value),
      error: (error) => {
        errors.push(error);
        resolve();
      },
      complete: () => resolve(),
    });
  });
  return { received, errors, closed, completed, client, dispose: () => client.dispose() as Promise<void> };
}

/** polls `check` every 25 ms until it is true, for at most `ms` */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
