/** Every migration, in order. Listed by hand so compiled and ts-jest runs load the same set. */
import { Foundation1795466953471 } from './1795466953471-Foundation';
import { ServiceChain1795468203390 } from './1795468203390-ServiceChain';

export const migrations: Function[] = [Foundation1795466953471, ServiceChain1795468203390];
