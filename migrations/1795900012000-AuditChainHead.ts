import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * audit_chain_head(document): the last seq and hash of a document's audit chain, read by the engine's lean
 * transition in the same statement that locks the document (src/workflow/transition-sql.ts):
 *
 *   SELECT l.*, h.seq, h.hash FROM (SELECT … FROM <table> d WHERE … FOR UPDATE OF d) l
 *     LEFT JOIN LATERAL audit_chain_head(l.id) h ON TRUE
 *
 * It is VOLATILE and plpgsql on purpose: PostgreSQL gives a volatile function a fresh snapshot for each query it
 * runs (READ COMMITTED), and the lateral call runs for the row only after the row lock was granted. So the head it
 * returns is read under the lock, including events another transaction appended while this one waited for the
 * lock (a plain join or subquery would see the statement's own snapshot, taken before the wait, and return a
 * stale head; that is why the previous engine read it in a statement of its own). Not SECURITY DEFINER: it runs
 * with the caller's right to read audit_event.
 */
export class AuditChainHead1795900012000 implements MigrationInterface {
  name = 'AuditChainHead1795900012000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_chain_head(doc uuid, OUT seq integer, OUT hash text) RETURNS record LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        SELECT a.seq, a.hash INTO seq, hash FROM audit_event a WHERE a.document_id = doc ORDER BY a.seq DESC LIMIT 1;
      END $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION audit_chain_head(uuid) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION audit_chain_head(uuid) TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION audit_chain_head(uuid)`);
  }
}
