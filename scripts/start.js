#!/usr/bin/env node
/**
 * `npm start`: rebuild only if a source changed (scripts/build.js, scripts/build-console.js), then run the
 * server in this same process — no child process, so Ctrl-C reaches the server's
 * own shutdown (which stops the embedded PostgreSQL) exactly once.
 */
'use strict';
const path = require('node:path');
const { build } = require('./build');
const { buildConsole } = require('./build-console');

if (!build()) process.exit(1);
buildConsole().then(
  (ok) => {
    if (!ok) process.exit(1);
    require(path.join(__dirname, '..', 'dist', 'src', 'main.js'));
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
