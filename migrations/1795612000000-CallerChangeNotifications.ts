import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whatever changes what a caller may do — their user row (roles, department, active), their tokens, an
 * access request they made changing state — notifies `sdd_caller_changed` with the user's id, on commit.
 * Every API process listens and drops that caller from its token cache, so a grant, a revocation or a
 * deactivation takes effect on the next request however many processes serve the database.
 */
export class CallerChangeNotifications1795612000000 implements MigrationInterface {
  name = 'CallerChangeNotifications1795612000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_caller_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- the trigger's argument names the column that holds the user's id; a deleted row notifies too
        PERFORM pg_notify('sdd_caller_changed', to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER app_user_caller_changed AFTER UPDATE OR DELETE ON app_user FOR EACH ROW EXECUTE FUNCTION notify_caller_changed('id')`);
    await queryRunner.query(`CREATE TRIGGER api_token_caller_changed AFTER UPDATE OR DELETE ON api_token FOR EACH ROW EXECUTE FUNCTION notify_caller_changed('user_id')`);
    await queryRunner.query(`CREATE TRIGGER access_request_caller_changed AFTER UPDATE OF state ON access_request FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION notify_caller_changed('created_by_id')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER access_request_caller_changed ON access_request`);
    await queryRunner.query(`DROP TRIGGER api_token_caller_changed ON api_token`);
    await queryRunner.query(`DROP TRIGGER app_user_caller_changed ON app_user`);
    await queryRunner.query(`DROP FUNCTION notify_caller_changed()`);
  }
}
