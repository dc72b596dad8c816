/**
 * Chinese and English labels. The seeds and the people on both sides read Chinese; the API speaks English
 * enum values, so each value shown has its label here, and anything without one shows as the API names it.
 */
export type Lang = 'en' | 'zh';
const LANG_KEY = 'sdd-console-lang';
let current: Lang = (localStorage.getItem(LANG_KEY) as Lang) === 'zh' ? 'zh' : 'en';
export const getLang = () => current;
export function setLang(lang: Lang) {
  current = lang;
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-Hant' : 'en';
}

const UI: Record<string, [string, string]> = {
  appTitle: ['Service Document Desk', '服務單據平台'],
  signIn: ['Sign in', '登入'],
  signOut: ['Sign out', '登出'],
  tokenLabel: ['Bearer token', '存取權杖 (token)'],
  tokenHelp: ['Paste the token you were given (npm start prints the demo tokens; data/demo-tokens.json).', '貼上發給您的權杖（npm start 會印出示範權杖；data/demo-tokens.json）。'],
  tokenRefused: ['The token was refused.', '權杖無效。'],
  queue: ['My queue', '我的待辦'],
  explorer: ['Workflow explorer', '流程圖'],
  kpi: ['KPI dashboard', '績效指標'],
  newRequest: ['File a service request', '提交服務申請'],
  language: ['中文', 'English'],
  roles: ['Roles', '角色'],
  loading: ['Loading…', '載入中…'],
  empty: ['Nothing here.', '沒有待辦。'],
  number: ['Number', '編號'],
  type: ['Type', '類型'],
  state: ['State', '狀態'],
  created: ['Created', '建立時間'],
  flagged: ['Flagged', '加急'],
  overdue: ['overdue', '逾期'],
  fields: ['Fields', '欄位'],
  actions: ['Actions', '操作'],
  timeline: ['Timeline', '時間軸'],
  deadlines: ['Deadlines', '期限'],
  otherStates: ['Events of other states', '其他狀態下的事件'],
  noActions: ['No action is open to you here.', '您在此沒有可執行的操作。'],
  confirm: ['Confirm', '確認'],
  cancelForm: ['Close', '關閉'],
  refused: ['Refused', '被拒絕'],
  done: ['Done', '完成'],
  due: ['due', '到期'],
  met: ['met', '達成'],
  breached: ['breached', '已逾期'],
  open: ['open', '進行中'],
  by: ['by', '由'],
  comment: ['Comment (recorded in the audit trail)', '備註（記入審計軌跡）'],
  fileAndSubmit: ['File and submit', '提交申請'],
  saveDraft: ['Save as draft', '儲存草稿'],
  notFound: ['This document does not exist or is outside your scope.', '此單據不存在或不在您的權限範圍內。'],
  events: ['Events', '事件'],
  whoMay: ['who may send it', '可執行角色'],
  systemEvent: ['system', '系統'],
  period: ['Period', '期間'],
  thisMonth: ['This month', '本月'],
  last12: ['Last 12 months', '近12個月'],
  thisYear: ['This year', '今年'],
  received: ['Requests received', '收到的申請'],
  byPeriod: ['Requests by period', '各期申請數'],
  byCategory: ['By category', '按類別'],
  byDepartment: ['By department', '按部門'],
  onTimeByKind: ['On time, by deadline', '各期限準時率'],
  targets: ['Targets', '目標'],
  targetMet: ['met', '達標'],
  targetMissed: ['missed', '未達標'],
  noData: ['no data', '無資料'],
  timelinessTarget: ['Timeliness (≥ 90 %)', '及時率（≥ 90%）'],
  satisfactionTarget: ['Satisfaction (≥ 85 %)', '滿意度（≥ 85%）'],
  complaintRateTarget: ['Complaint rate (< 3 %)', '投訴率（< 3%）'],
  kpiRefused: ['Statistics are not open to your role.', '您的角色無權查看統計。'],
  requestCreated: ['Your request was filed.', '您的申請已提交。'],
  requiredMark: ['required', '必填'],
  draftKept: ['Saved as a draft; correct the form and submit again, or open the draft:', '已儲存為草稿；請修正後再次提交，或開啟草稿：'],
};

export const DOC_TYPES: Record<string, [string, string]> = {
  ServiceRequest: ['Service request', '服務申請單'],
  ServiceTask: ['Service task', '服務任務單'],
  ServiceRecord: ['Service record', '服務記錄單'],
  ServiceAcceptance: ['Service acceptance', '服務驗收單'],
  Complaint: ['Complaint', '投訴'],
  PartsRequisition: ['Parts requisition', '備件領料單'],
  AccessRequest: ['Access request', '查詢申請'],
  Consultation: ['Consultation', '諮詢'],
  ServiceReport: ['Service report', '售後服務情況報表'],
  SupplierClaim: ['Supplier claim', '供應商索賠單'],
};

const SECTIONS: Record<string, [string, string]> = {
  requestsToReview: ['Requests to review', '待審核的服務申請'],
  acceptedRequests: ['Accepted requests (tasks to open)', '已受理的申請（待開任務單）'],
  tasksToApprove: ['Tasks to approve', '待批准的任務單'],
  tasksToDispatch: ['Tasks to dispatch', '待發出售後服務通知單的任務'],
  tasksToApproveExecutive: ['Tasks awaiting the executive', '待主管領導批准的任務單'],
  recordsToReview: ['Records to review', '待審核的服務記錄'],
  acceptancesToSign: ['Acceptances to sign', '待簽署的驗收單'],
  acceptancesToVerify: ['Acceptances to verify', '待核實的驗收單'],
  requestsToFix: ['My requests to complete', '待補充的申請'],
  myRequests: ['My requests', '我的申請'],
  quotesToConsent: ['Tasks and quotes', '任務與報價'],
  complaintsToHandle: ['Complaints to handle', '待處理的投訴'],
  complaintsToInvestigate: ['Complaints to investigate', '待調查的投訴'],
  complaintsToApprove: ['Complaints to approve', '待批准的投訴處理'],
  consultationsOpen: ['Consultations to answer', '待答覆的諮詢'],
  requisitionsToApprove: ['Parts requisitions to approve', '待批准的領料單'],
  requisitionsToIssue: ['Parts requisitions to issue', '待發料的領料單'],
  reportsToApprove: ['Reports to approve', '待批准的報表'],
  reportsToReview: ['Reports to review', '待審核的報表'],
  myTasks: ['My tasks', '我的任務'],
  myOpenRecords: ['My open records', '未提交的服務記錄'],
  recordsToSign: ['Field reports to sign', '待簽字確認的服務記錄'],
  overdueRequests: ['Overdue requests', '逾期的申請'],
  overdueTasks: ['Overdue tasks', '逾期的任務'],
  escalations: ['Escalations', '升級通知'],
};

const EVENTS: Record<string, string> = {
  CREATE: '建立', UPDATE: '修改', SUBMIT: '提交', RESUBMIT: '重新提交', ACCEPT: '受理', RETURN: '退回', REJECT: '駁回',
  CANCEL: '取消', START: '開始', COMPLETE: '完成', APPROVE: '批准', CONFIRM: '確認', DISPUTE: '異議', REVISE: '修訂',
  FINISH: '完工', REOPEN: '重開', CLOSE: '結案', CONSENT: '同意報價', DECLINE: '拒絕報價', PASS: '驗收通過', FAIL: '驗收不通過',
  VERIFY: '核實', QUERY: '查詢', SEND_BACK: '發回', ADD_ENTRY: '新增記錄', AMEND_ENTRY: '更正記錄', ARCHIVE: '歸檔',
  RECORD_RETURN_VISIT: '回訪', CLOSE_FOLLOW_UP: '結束跟進', CLASSIFY: '分類', ASSIGN: '分派', INVESTIGATE: '調查', RESOLVE: '提出處理意見',
  NOTIFY: '通知客戶', CONFIRM_SATISFIED: '確認滿意', REPORT_UNSATISFIED: '表示不滿意', ANSWER: '答覆', DEFER: '延後答覆',
  REPLY: '回覆', CONVERT: '轉為服務申請', ISSUE: '發料', CONSUME: '領用', GRANT: '批准查詢', DENY: '拒絕查詢', WITHDRAW: '撤回',
  REVOKE: '撤銷', EXPIRE: '到期', REVIEW: '審核', DISPATCH: '派工通知', RECORD_CONTACT: '記錄客戶聯繫', SIGN_OFF: '客戶簽字確認',
  RECORD_REPAIR: '記錄維修', RECEIVE_OLD_PARTS: '回收舊件', APPROVE_WRITE_OFF: '批准核銷', WRITE_OFF: '核銷', SETTLE: '結算',
};

const STATES: Record<string, string> = {
  DRAFT: '草稿', SUBMITTED: '已提交', ACCEPTED: '已受理', RETURNED: '已退回', REJECTED: '已駁回', CANCELLED: '已取消',
  IN_SERVICE: '服務中', COMPLETED: '已完成', FOLLOW_UP: '跟進中', ARCHIVED: '已歸檔', PENDING_APPROVAL: '待批准',
  PENDING_EXECUTIVE: '待主管領導批准', ASSIGNED: '已指派', CONFIRMED: '已確認', DISPUTED: '有異議', QUOTE_DECLINED: '報價被拒',
  IN_PROGRESS: '進行中', AWAITING_ACCEPTANCE: '待驗收', OPEN: '填寫中', REVIEWED: '已審核', PENDING_CUSTOMER: '待客戶簽署',
  PASSED: '驗收通過', FAILED: '驗收不通過', VERIFIED: '已核實', RECEIVED: '已接收', CLASSIFIED: '已分類', INVESTIGATING: '調查中',
  RESOLVED: '已處理', CUSTOMER_NOTIFIED: '已通知客戶', CLOSED: '已結案', LOGGED: '已登記', PENDING_REPLY: '待回覆',
  ANSWERED: '已答覆', CONVERTED: '已轉申請', APPROVED: '已批准', ISSUED: '已發出', CONSUMED: '已領用', REQUESTED: '已申請',
  GRANTED: '已批准', DENIED: '已拒絕', WITHDRAWN: '已撤回', REVOKED: '已撤銷', EXPIRED: '已到期', PENDING_REVIEW: '待審核',
  WRITTEN_OFF: '已核銷', SETTLED: '已結算', NEW: '新建',
};

const ROLES: Record<string, string> = {
  ADMIN: '系統管理員', AGENT: '客服', ARCHIVIST: '檔案保管', CUSTOMER: '客戶', EXECUTIVE: '主管領導', STOREKEEPER: '備件管理員',
  SUPERVISOR: '部門主管', TECHNICIAN: '服務人員',
};

const FIELDS: Record<string, string> = {
  number: '編號', state: '狀態', version: '版本', category: '類別', serviceType: '服務類型', description: '描述', contactName: '聯絡人',
  contactPhone: '聯絡電話', address: '地址', expectedFrom: '期望開始', expectedTo: '期望結束', urgency: '緊急程度', channel: '渠道',
  createdAt: '建立時間', customer: '客戶', createdBy: '建立人', targetDepartmentId: '服務部門', reason: '原因', comment: '備註',
  flagged: '加急', targetDepartment: '服務部門', department: '部門', assignee: '負責人', title: '標題', subject: '主題',
  estimatedCost: '估計費用', quotedPrice: '報價', tier: '審批層級', severity: '嚴重程度', note: '說明', satisfaction: '滿意度',
  entries: '記錄內容', kind: '類型', text: '內容', author: '填寫人', amended: '已更正', warrantyCheck: '保修檢查', coverage: '保修範圍',
  repairedFaults: '已修復故障', faultCode: '故障代碼', equipmentModel: '設備型號', equipmentSerial: '設備序號', warrantyUntil: '保修至',
  customerSignerName: '客戶簽字人', customerSignMark: '簽字標記', customerSignChannel: '簽字渠道', customerSignedAt: '客戶簽字時間',
  customerSignature: '客戶簽名', dispatchNotice: '派工通知', customerContact: '客戶聯繫', communications: '溝通記錄', attachments: '附件',
  agreedVisitAt: '約定上門時間', agreedVisitPlace: '約定上門地點', contactPerson: '聯繫人', contactedAt: '聯繫時間', issuedAt: '發出時間',
  returnedAt: '返回時間', agentName: '客服', summary: '摘要', direction: '方向', counterpartName: '對方', approvals: '審批簽字', helpers: '協助人員',
};

const pick = (pair: [string, string] | undefined, fallback: string) => (pair ? pair[current === 'zh' ? 1 : 0] : fallback);
export const t = (key: string) => pick(UI[key], key);
export const sectionLabel = (key: string) => pick(SECTIONS[key], key);
export const docTypeLabel = (type: string) => pick(DOC_TYPES[type], type);
/** both names, the Chinese one first in Chinese */
export const docTypeBoth = (type: string) => (DOC_TYPES[type] ? (current === 'zh' ? `${DOC_TYPES[type][1]} ${type}` : `${DOC_TYPES[type][0]} (${DOC_TYPES[type][1]})`) : type);
const zhOr = (table: Record<string, string>, value: string) => (current === 'zh' && table[value] ? table[value] : value);
export const eventLabel = (event: string) => (current === 'zh' && EVENTS[event] ? `${EVENTS[event]} ${event}` : event);
export const stateLabel = (state: string) => zhOr(STATES, state);
export const roleLabel = (role: string) => zhOr(ROLES, role);
export const fieldLabel = (field: string) => zhOr(FIELDS, field);
