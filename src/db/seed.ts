/**
 * Demo data for `npm start` and the fixtures the tests build on: departments,
 * one user per role, two customers (one KEY) with portal users, and an
 * automation. Returns a bearer token per identity, keyed by a name that
 * contains its role.
 */
import { DataSource } from 'typeorm';
import { issueToken } from '../auth/tokens';
import { Role, UserKind } from '../auth/roles';
import { Customer, CustomerTier, Department, User } from '../organisation/organisation.entities';
import { TechnicianCertificate } from '../organisation/field-service.entities';

export type DemoTokens = Record<string, string>;

export interface DemoIds {
  departments: Record<string, string>;
  customers: Record<string, string>;
  users: Record<string, string>;
}

const DEPARTMENTS = [
  { code: 'CS', name: '客服部 Customer service' },
  { code: 'TECH', name: '技術支持部 Technical support' },
  { code: 'SALES', name: '銷售部 Sales' },
  { code: 'ADMIN', name: '行政部 Administration' },
  // seed 003 §3.7: the spare-parts store (備用件庫) issues parts against approved requisitions
  { code: 'STORES', name: '備件庫 Spare-parts store' },
];

/** each with the service region of its site (regions are seeded by migration DispatchQualifications1796000200000) */
const CUSTOMERS = [
  { code: 'ACME', name: 'Acme Manufacturing Co.', tier: CustomerTier.STANDARD, regionCode: 'EAST' },
  { code: 'HUAXIA', name: '華夏電力 Huaxia Power', tier: CustomerTier.KEY, regionCode: 'NORTH' },
];

/** technicians' service regions, and the certificates (持證上崗) they hold: valid long enough for any demo or test clock */
const TECHNICIAN_REGIONS: Record<string, string> = { TECHNICIAN: 'EAST', TECHNICIAN_2: 'NORTH' };
const CERTIFICATES: Array<{ key: string; qualificationCode: string; certificateNumber: string }> = [
  { key: 'TECHNICIAN', qualificationCode: 'REPAIR', certificateNumber: 'WX-2020-0001' },
  { key: 'TECHNICIAN', qualificationCode: 'INSTALLATION', certificateNumber: 'AZ-2020-0001' },
  { key: 'TECHNICIAN_2', qualificationCode: 'REPAIR', certificateNumber: 'WX-2020-0002' },
  { key: 'TECHNICIAN_2', qualificationCode: 'INSTALLATION', certificateNumber: 'AZ-2020-0002' },
];

/** token name → who; department/customer by code */
const IDENTITIES: Array<{ key: string; name: string; roles: Role[]; department?: string; customer?: string; kind?: UserKind }> = [
  { key: 'ADMIN', name: 'Ada Admin', roles: [Role.ADMIN], department: 'ADMIN' },
  { key: 'AGENT', name: 'Li Na (客服)', roles: [Role.AGENT], department: 'CS' },
  { key: 'AGENT_2', name: 'Zhou Min (客服)', roles: [Role.AGENT], department: 'CS' },
  { key: 'SUPERVISOR_TECH', name: 'Wang Qiang (技術支持部主管)', roles: [Role.SUPERVISOR], department: 'TECH' },
  { key: 'SUPERVISOR_TECH_2', name: 'Sun Hui (技術支持部副主管)', roles: [Role.SUPERVISOR], department: 'TECH' },
  { key: 'SUPERVISOR_TECH_3', name: 'Ma Lin (技術支持部副主管)', roles: [Role.SUPERVISOR], department: 'TECH' },
  { key: 'SUPERVISOR_CS', name: 'Chen Jing (客服部主管)', roles: [Role.SUPERVISOR], department: 'CS' },
  { key: 'SUPERVISOR_SALES', name: 'Liu Yang (銷售部主管)', roles: [Role.SUPERVISOR], department: 'SALES' },
  { key: 'TECHNICIAN', name: 'Zhang Wei (服務人員)', roles: [Role.TECHNICIAN], department: 'TECH' },
  { key: 'TECHNICIAN_2', name: 'Huang Lei (服務人員)', roles: [Role.TECHNICIAN], department: 'TECH' },
  { key: 'EXECUTIVE', name: 'Zhao Gang (總經理)', roles: [Role.EXECUTIVE] },
  // a division head who is also a supervisor of technical support: may endorse or approve, never both on one document
  { key: 'EXEC_SUPERVISOR_TECH', name: 'Qian Li (分管領導, 技術支持部)', roles: [Role.SUPERVISOR, Role.EXECUTIVE], department: 'TECH' },
  { key: 'ARCHIVIST', name: 'Xu Fang (檔案保管)', roles: [Role.ARCHIVIST], department: 'ADMIN' },
  { key: 'STOREKEEPER', name: 'He Ping (備件管理員)', roles: [Role.STOREKEEPER], department: 'STORES' },
  { key: 'CUSTOMER_ACME', name: 'Alice Acme', roles: [Role.CUSTOMER], customer: 'ACME' },
  { key: 'CUSTOMER_ACME_2', name: 'Bob Acme', roles: [Role.CUSTOMER], customer: 'ACME' },
  { key: 'CUSTOMER_HUAXIA', name: 'Hu Xia', roles: [Role.CUSTOMER], customer: 'HUAXIA' },
  { key: 'AUTOMATION_DISPATCH', name: 'dispatch-bot', roles: [Role.AGENT], department: 'CS', kind: UserKind.AUTOMATION },
];

export async function isSeeded(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(Department).count()) > 0;
}

export async function seedDemoData(dataSource: DataSource): Promise<{ tokens: DemoTokens; ids: DemoIds }> {
  const departments: Record<string, string> = {};
  for (const d of DEPARTMENTS) departments[d.code] = (await dataSource.getRepository(Department).save({ ...d, active: true })).id;
  const customers: Record<string, string> = {};
  for (const c of CUSTOMERS) customers[c.code] = (await dataSource.getRepository(Customer).save(c)).id;
  const users: Record<string, string> = {};
  const tokens: DemoTokens = {};
  for (const i of IDENTITIES) {
    const user = await dataSource.getRepository(User).save({
      name: i.name,
      login: i.key.toLowerCase(),
      kind: i.kind ?? UserKind.HUMAN,
      roles: i.roles,
      departmentId: i.department ? departments[i.department] : null,
      customerId: i.customer ? customers[i.customer] : null,
      regionCode: TECHNICIAN_REGIONS[i.key] ?? null,
      active: true,
    });
    users[i.key] = user.id;
    tokens[i.key] = await issueToken(dataSource, user.id, `demo token for ${i.key}`);
  }
  for (const c of CERTIFICATES) {
    await dataSource.getRepository(TechnicianCertificate).save({
      userId: users[c.key],
      qualificationCode: c.qualificationCode,
      certificateNumber: c.certificateNumber,
      validFrom: new Date('2020-01-01T00:00:00+08:00'),
      expiresAt: new Date('2100-01-01T00:00:00+08:00'),
      recordedById: users.ADMIN,
    });
  }
  return { tokens, ids: { departments, customers, users } };
}
