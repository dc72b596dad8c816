#!/usr/bin/env node
/**
 * Compiles the TypeScript once, and again only when a source changed since the
 * last build: `npm ci` builds (the `prepare` script), so `npm start` on a fresh
 * clone goes straight to the server instead of running a full `tsc` (~11 s here).
 *
 * Stale = any file under the compiled folders, a tsconfig or the lock file is
 * newer than dist/.build-stamp. The compile itself is incremental (tsbuildinfo).
 * Run as a script it also bundles the console (scripts/build-console.js), which keeps a stamp of its own.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { isStale: isStaleStamp } = require('./stale');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['src', 'migrations', 'scripts', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

const isStale = () => isStaleStamp(stamp, root, inputs);

function build({ force = false } = {}) {
  if (!force && !isStale()) return true;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    console.warn('build: TypeScript is not installed (npm ci --omit=dev?); using dist/ as it is');
    return fs.existsSync(path.join(root, 'dist', 'src', 'main.js'));
  }
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) return false;
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  console.log(`build: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * The embedded PostgreSQL's cluster, initialised and migrated once here (at `npm ci`), so that a first `npm start`
 * copies it instead of running initdb and every migration (src/db/embedded.ts). Never fails the build: without it a
 * first start runs initdb and the migrations, as before.
 */
async function clusterTemplate() {
  try {
    const started = Date.now();
    const { makeClusterTemplate, clusterTemplateDir } = require(path.join(root, 'dist', 'src', 'db', 'embedded.js'));
    const { migrateNewDatabase } = require(path.join(root, 'dist', 'src', 'db', 'migrate.js'));
    if ((await makeClusterTemplate({ prepare: (url) => migrateNewDatabase(url) })) === 'made') {
      console.log(`build: PostgreSQL cluster template made in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(root, clusterTemplateDir())})`);
    }
  } catch (error) {
    console.warn(`build: no PostgreSQL cluster template (${error.message}); a first start runs initdb instead`);
  }
  return true;
}

module.exports = { build, isStale };

if (require.main === module) {
  const force = process.argv.includes('--force');
  // the server, then the console (scripts/build-console.js: its own stamp, rebuilt only when console/ changed)
  if (!build({ force })) process.exit(1);
  require('./build-console')
    .buildConsole({ force })
    .then(async (ok) => ok && (await clusterTemplate()))
    .then(
      (ok) => process.exit(ok ? 0 : 1),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
}
