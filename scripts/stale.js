'use strict';
/** Build stamps: a build is stale when any of its inputs (files or folders, walked) is newer than its stamp file. */
const fs = require('node:fs');
const path = require('node:path');

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** `inputs` are paths relative to `root` */
function isStale(stamp, root, inputs) {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return true;
  }
  return inputs.some((input) => newestMtime(path.join(root, input)) > built);
}

module.exports = { isStale };
