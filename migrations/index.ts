/** Every migration, in order. Listed by hand so compiled and ts-jest runs load the same set. */
import { Foundation1795466953471 } from './1795466953471-Foundation';
import { IdempotencyRecords1795467909044 } from './1795467909044-IdempotencyRecords';
import { AuditAppendOnly1795468000000 } from './1795468000000-AuditAppendOnly';
import { ServiceChain1795468203390 } from './1795468203390-ServiceChain';
import { AccessRequests1795468560538 } from './1795468560538-AccessRequests';
import { DepartmentStateCreatedIndex1795470706470 } from './1795470706470-DepartmentStateCreatedIndex';
import { Outbox1795471000000 } from './1795471000000-Outbox';
import { IdempotencyApplied1795471000001 } from './1795471000001-IdempotencyApplied';
import { TaskQuoteConsent1795611456252 } from './1795611456252-TaskQuoteConsent';
import { Consultations1795611608258 } from './1795611608258-Consultations';
import { PartsRequisitions1795611687235 } from './1795611687235-PartsRequisitions';
import { CallerChangeNotifications1795612000000 } from './1795612000000-CallerChangeNotifications';
import { Complaints1795612694583 } from './1795612694583-Complaints';
import { Webhooks1795613000000 } from './1795613000000-Webhooks';
import { OutboxNotify1795613000001 } from './1795613000001-OutboxNotify';
import { DeadlinesCalendar1795700000000 } from './1795700000000-DeadlinesCalendar';
import { ReturnVisits1795716746018 } from './1795716746018-ReturnVisits';
import { RecordsControl1795800000000 } from './1795800000000-RecordsControl';
import { RecordsControlRehash1795800000001 } from './1795800000001-RecordsControlRehash';
import { Statistics1795800001000 } from './1795800001000-Statistics';
import { ServiceReports1795800002000 } from './1795800002000-ServiceReports';
import { ExportLog1795800003000 } from './1795800003000-ExportLog';
import { KpiSpeed1795800004000 } from './1795800004000-KpiSpeed';
import { DeadlineScopeCopies1795800004001 } from './1795800004001-DeadlineScopeCopies';
import { RequestWorkers1795800005000 } from './1795800005000-RequestWorkers';
import { AuditChainHead1795900012000 } from './1795900012000-AuditChainHead';
import { KpiRollups1796000000000 } from './1796000000000-KpiRollups';
import { FieldReportSignOff1796000100000 } from './1796000100000-FieldReportSignOff';
import { DispatchQualifications1796000200000 } from './1796000200000-DispatchQualifications';
import { ReplacedPartsCommunications1796000300000 } from './1796000300000-ReplacedPartsCommunications';
import { AdministrationData1796000500000 } from './1796000500000-AdministrationData';
import { RequisitionWriteOffOpen1796000900000 } from './1796000900000-RequisitionWriteOffOpen';
import { OutboxRelay1796100000000 } from './1796100000000-OutboxRelay';

export const migrations: Function[] = [
  Foundation1795466953471,
  IdempotencyRecords1795467909044,
  AuditAppendOnly1795468000000,
  ServiceChain1795468203390,
  AccessRequests1795468560538,
  DepartmentStateCreatedIndex1795470706470,
  Outbox1795471000000,
  IdempotencyApplied1795471000001,
  TaskQuoteConsent1795611456252,
  Consultations1795611608258,
  PartsRequisitions1795611687235,
  CallerChangeNotifications1795612000000,
  Complaints1795612694583,
  Webhooks1795613000000,
  OutboxNotify1795613000001,
  DeadlinesCalendar1795700000000,
  ReturnVisits1795716746018,
  RecordsControl1795800000000,
  RecordsControlRehash1795800000001,
  Statistics1795800001000,
  ServiceReports1795800002000,
  ExportLog1795800003000,
  KpiSpeed1795800004000,
  DeadlineScopeCopies1795800004001,
  RequestWorkers1795800005000,
  AuditChainHead1795900012000,
  KpiRollups1796000000000,
  FieldReportSignOff1796000100000,
  DispatchQualifications1796000200000,
  ReplacedPartsCommunications1796000300000,
  AdministrationData1796000500000,
  RequisitionWriteOffOpen1796000900000,
  OutboxRelay1796100000000,
];
