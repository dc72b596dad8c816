/** Writes schema/schema.graphql from the code. Review the diff: it is the public contract. */
import fs from 'node:fs';
import { buildApiSchema, printApiSchema, SCHEMA_FILE } from '../src/graphql/schema';

buildApiSchema()
  .then((schema) => {
    fs.writeFileSync(SCHEMA_FILE, printApiSchema(schema));
    console.log(`wrote ${SCHEMA_FILE}`);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
