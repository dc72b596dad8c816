import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A consumed requisition with warranty parts is not closed for records control until they are written off
 * (RecordsPolicy.stillOpen): the register's earlier entries for such requisitions are opened again, so they leave
 * archiveEligible and bulk archiving (which refused them for ever, first in its order, without moving on).
 */
export class RequisitionWriteOffOpen1796000900000 implements MigrationInterface {
  name = 'RequisitionWriteOffOpen1796000900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE document_record r SET closed_at = NULL
                     FROM parts_requisition p
                    WHERE r.document_id = p.id AND r.document_type = 'PartsRequisition' AND r.archived_at IS NULL
                      AND p.state = 'CONSUMED' AND jsonb_path_exists(p.lines, '$[*] ? (@.underWarranty == true)')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE document_record r SET closed_at = p.consumed_at
                     FROM parts_requisition p
                    WHERE r.document_id = p.id AND r.document_type = 'PartsRequisition' AND r.closed_at IS NULL AND p.state = 'CONSUMED'`);
  }
}
