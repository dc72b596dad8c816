#!/usr/bin/env node
/**
 * Builds the service-desk console (console/) into dist/console/: one esbuild run (Preact, TSX, Mermaid, code
 * splitting, minified), content-hashed file names under assets/, and an index.html naming them. Also bakes a
 * small digest of schema/schema.graphql into the bundle (the document types' fields, each mutation's input), so
 * the console draws its forms from the contract without introspection (which production turns off).
 *
 * Stale = a file under console/, the schema or the lock file is newer than dist/console/.build-stamp.
 * Without esbuild (npm ci --omit=dev) the console is left as it is.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { isStale: isStaleStamp } = require('./stale');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'console');
const stamp = path.join(out, '.build-stamp');
const inputs = ['console', 'schema/schema.graphql', 'package-lock.json', 'scripts/build-console.js'];

const isConsoleStale = () => isStaleStamp(stamp, root, inputs);

/** What the console needs to know of the schema: document fields, mutation inputs, enums. */
function schemaDigest() {
  const { buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType } = require('graphql');
  const schema = buildSchema(fs.readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8'));
  const typeRef = (type) => {
    const required = isNonNullType(type);
    const inner = required ? type.ofType : type;
    const list = isListType(inner);
    const named = getNamedType(type);
    const kind = isEnumType(named) ? 'enum' : isInputObjectType(named) ? 'input' : isScalarType(named) ? 'scalar' : 'object';
    return { type: named.name, kind, required, list };
  };
  /** A record-like object's plain fields (and the names of the people/places it names), e.g. a record's entries or a
   * task's dispatch notice, for the document page's details; null for documents (linked, not inlined). */
  const nestedSelection = (type) => {
    if (!isObjectType(type) || type.getFields().availableEvents || type.getInterfaces().some((i) => i.name === 'Node' && type.getFields().version)) return null;
    const parts = [];
    for (const field of Object.values(type.getFields())) {
      if (field.args.some((a) => isNonNullType(a.type))) continue;
      const ref = typeRef(field.type);
      if (ref.kind === 'scalar' || ref.kind === 'enum') parts.push(field.name);
      else if (ref.kind === 'object' && !ref.list) {
        const target = schema.getType(ref.type);
        if (isObjectType(target) && target.getFields().name && !target.getFields().availableEvents) parts.push(`${field.name} { name }`);
      }
    }
    return parts.length ? parts.join(' ') : null;
  };
  const documents = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = type.getFields();
    if (!fields.availableEvents || !fields.history || !fields.version) continue;
    const scalars = [];
    const named = [];
    const nested = {};
    for (const field of Object.values(fields)) {
      if (field.args.some((a) => isNonNullType(a.type))) continue;
      const ref = typeRef(field.type);
      if (ref.kind === 'object' && !['history', 'deadlines', 'availableEvents'].includes(field.name)) {
        const target = schema.getType(ref.type);
        const hasName = isObjectType(target) && Boolean(target.getFields().name);
        // a list of named things (a task's helpers) by their names; a named single thing is in `named` already
        const selection = hasName && !target.getFields().availableEvents && !target.getFields().size ? 'name' : nestedSelection(target);
        if (selection && (ref.list || !hasName)) nested[field.name] = selection;
      }
      if (ref.list) continue;
      if (ref.kind === 'scalar' || ref.kind === 'enum') scalars.push(field.name);
      else if (ref.kind === 'object') {
        const target = schema.getType(ref.type);
        if (target.getFields().name && !target.getFields().availableEvents) named.push(field.name);
      }
    }
    documents[type.name] = { scalars, named, nested, deadlines: Boolean(fields.deadlines) };
  }
  const inputs = {};
  const enums = {};
  const addInput = (name) => {
    if (inputs[name]) return;
    const type = schema.getType(name);
    inputs[name] = Object.values(type.getFields()).map((f) => ({ name: f.name, ...typeRef(f.type), description: f.description || undefined }));
    for (const f of Object.values(type.getFields())) {
      const named = getNamedType(f.type);
      if (isEnumType(named)) enums[named.name] = named.getValues().map((v) => v.name);
      if (isInputObjectType(named)) addInput(named.name);
    }
  };
  const mutations = {};
  for (const field of Object.values(schema.getMutationType().getFields())) {
    const input = field.args.find((a) => a.name === 'input');
    if (!input || field.args.length !== 1) continue;
    const inputType = getNamedType(input.type).name;
    addInput(inputType);
    const payload = getNamedType(field.type);
    const documentField = isObjectType(payload) ? Object.values(payload.getFields()).find((f) => documents[getNamedType(f.type).name]) : undefined;
    mutations[field.name] = { input: inputType, inputRequired: isNonNullType(input.type), document: documentField ? documentField.name : null };
  }
  return { documents, inputs, enums, mutations };
}

async function buildConsole({ force = false, quiet = false } = {}) {
  if (!force && !isConsoleStale()) return true;
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [root] }));
  } catch {
    console.warn('build: esbuild is not installed (npm ci --omit=dev?); serving dist/console as it is');
    return true;
  }
  const started = Date.now();
  fs.rmSync(out, { recursive: true, force: true });
  const digest = schemaDigest();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { console: 'console/src/main.tsx' },
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    outdir: path.join(out, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'css', '.woff': 'file', '.woff2': 'file', '.ttf': 'file' },
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"', SCHEMA_DIGEST: JSON.stringify(digest) },
  });
  if (result.errors.length) return false;
  const outputs = Object.entries(result.metafile.outputs).filter(([, o]) => o.entryPoint === 'console/src/main.tsx');
  const js = outputs.find(([file]) => file.endsWith('.js'))?.[0];
  const css = Object.keys(result.metafile.outputs).find((file) => file.endsWith('.css') && file.includes('/console-'));
  const rel = (file) => '/' + path.relative(out, path.join(root, file)).split(path.sep).join('/');
  const html = fs
    .readFileSync(path.join(root, 'console', 'index.html'), 'utf8')
    .replace('<!--STYLES-->', css ? `<link rel="stylesheet" href="${rel(css)}">` : '')
    .replace('<!--SCRIPTS-->', `<script type="module" src="${rel(js)}"></script>`);
  fs.writeFileSync(path.join(out, 'index.html'), html);
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  if (!quiet) console.log(`build: console bundled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

module.exports = { buildConsole, isConsoleStale, schemaDigest };

if (require.main === module) {
  buildConsole({ force: process.argv.includes('--force') }).then(
    (ok) => process.exit(ok ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
