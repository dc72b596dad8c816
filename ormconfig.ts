/** For the TypeORM CLI: `DATABASE_URL=… npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show` */
import { createDataSource } from './src/db/data-source';

export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54329/postgres', { role: null });
