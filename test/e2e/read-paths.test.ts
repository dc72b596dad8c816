/**
 * The whole visibility matrix (visibility.test.ts, required as it is) through both read paths: every query it
 * sends is answered on the compiled path — as the statement's JSON text wherever the whole query compiles — (which
 * its own assertions then check) and again through the resolvers (header x-read-path: resolvers), and the two
 * answers must be deep-equal.
 */
import { isDeepStrictEqual } from 'node:util';
import { compiledReadStats } from '../../src/graphql/compiled-reads';
import { compareReadPaths } from '../support/api';

// every query is asked twice: the matrix takes about twice as long as alone
jest.setTimeout(240_000);
const comparisons = compareReadPaths();
const compiledBefore = compiledReadStats.compiled;
const textBefore = compiledReadStats.text;
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./visibility.test');

test('every answer of the visibility matrix is the same on the compiled path and through the resolvers', () => {
  // the matrix really ran, and really through the compiled path
  expect(comparisons.length).toBeGreaterThan(1_000);
  expect(compiledReadStats.compiled - compiledBefore).toBeGreaterThan(1_000);
  // most of them as text (the rest ask for computed fields: availableEvents, history, …)
  expect(compiledReadStats.text - textBefore).toBeGreaterThan(1_000);
  const differ = comparisons.filter((c) => !isDeepStrictEqual(c.compiled, c.resolvers));
  expect(differ.slice(0, 5)).toEqual([]);
});
