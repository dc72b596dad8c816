/**
 * The service-desk console's files (built by scripts/build-console.js into dist/console/), served by the HTTP
 * edge at `/`. The files are listed once when the server starts and answered from memory by exact path: a
 * request for anything else — `..`, encoded slashes, a directory, a file added later — is simply not in the
 * table, so nothing outside the folder can be reached. index.html is revalidated on every load (it names the
 * current bundle); the content-hashed assets are immutable for a year. Every answer carries a strict
 * Content-Security-Policy: scripts, styles, fonts, images and API calls from this origin only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type http from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.json': 'application/json; charset=utf-8',
};

/**
 * style-src allows inline styles: Mermaid writes a <style> element and style attributes into each SVG it draws
 * (scripts stay 'self' only — no inline script, no eval).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
  cache: string;
}

export class ConsoleSite {
  private readonly files = new Map<string, StaticFile>();

  /** dir: the built console (dist/console); missing or empty, the console is not served (404 as before). */
  constructor(dir: string) {
    const walk = (folder: string, prefix: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(folder, entry.name);
        if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
        else if (entry.isFile()) {
          const type = TYPES[path.extname(entry.name)];
          if (!type) continue;
          const body = fs.readFileSync(full);
          const hashed = prefix === '/assets/';
          this.files.set(`${prefix}${entry.name}`, {
            body,
            type,
            etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
            cache: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
          });
        }
      }
    };
    walk(dir, '/');
    const index = this.files.get('/index.html');
    if (index) this.files.set('/', index);
  }

  get available(): boolean {
    return this.files.has('/');
  }

  /** Answers the request when it is a GET or HEAD of one of the console's files; false leaves it to the caller. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file = this.files.get(pathname);
    if (!file) return false;
    const headers: Record<string, string | number> = {
      'content-type': file.type,
      'cache-control': file.cache,
      etag: file.etag,
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  }
}
