// UI text in Korean and English. The platform's users and its notification messages are Korean,
// so Korean is the default unless the browser asks for something else; the choice is kept.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'ko' | 'en';

const en = {
  'app.title': 'DWP Workbench',
  'app.skip': 'Skip to content',
  'lang.switch': '한국어',
  'lang.label': 'Language',
  'login.title': 'Sign in',
  'login.tenant': 'Tenant',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.expired': 'Your session has expired. Please sign in again.',
  'login.signedOut': 'You are signed out.',
  'nav.cases': 'Cases',
  'nav.approvals': 'Approvals',
  'inbox.title': 'Approvals',
  'inbox.count': '{n} waiting for a decision',
  'inbox.pending': 'Pending',
  'inbox.expired': 'Timed out',
  'inbox.case': 'Case',
  'inbox.action': 'Action',
  'inbox.empty': 'Nothing is waiting for a decision.',
  'inbox.emptyExpired': 'No request has timed out.',
  'inbox.onHold': 'Case on HOLD',
  'inbox.requestedBy': 'Asked by {who} at {when}',
  'inbox.open': 'Open and decide',
  'inbox.openRun': 'Open the run',
  'inbox.notAllowed': 'The approvals inbox is for approvers and admins; your role is {role}.',
  'nav.logout': 'Sign out',
  'nav.user': 'Signed in as',
  'cases.title': 'Cases',
  'cases.filter': 'Status',
  'cases.all': 'All',
  'cases.empty': 'No cases match this filter.',
  'cases.loading': 'Loading cases…',
  'col.case': 'Case',
  'col.status': 'Status',
  'col.severity': 'Severity',
  'col.docKey': 'Document',
  'col.vendor': 'Vendor',
  'col.amount': 'Amount',
  'col.updated': 'Last change',
  'case.back': '← All cases',
  'case.loading': 'Loading case…',
  'case.document': 'Document',
  'case.docStatus': 'Document status',
  'case.caseStatus': 'Case status',
  'case.bukrs': 'Company code',
  'case.belnr': 'Document no.',
  'case.gjahr': 'Fiscal year',
  'case.buzei': 'Line item',
  'case.lastChange': 'Last change',
  'case.actions': 'Action history',
  'case.noActions': 'No actions yet.',
  'case.evidence': 'Evidence',
  'case.noEvidence': 'No evidence recorded.',
  'act.who': 'Who',
  'act.what': 'What',
  'act.when': 'When',
  'act.reason': 'Reason',
  'aura.title': 'Ask Aura',
  'aura.prompt': 'Question for Aura',
  'aura.defaultPrompt': 'Review case {caseId} and propose an action',
  'aura.ask': 'Ask Aura',
  'aura.again': 'Ask again',
  'aura.thoughts': 'Reasoning',
  'aura.plan': 'Plan',
  'aura.tools': 'Tool executions',
  'aura.answer': 'Answer',
  'aura.timeline': 'Stream',
  'aura.input': 'Input',
  'aura.output': 'Output',
  'aura.ended': 'Run ended',
  'aura.link': 'Link to this run (open it in another window to follow or decide)',
  'conn.idle': 'Not started',
  'conn.connecting': 'Connecting…',
  'conn.open': 'Live',
  'conn.reconnecting': 'Reconnecting…',
  'conn.closed': 'Finished',
  'conn.failed': 'Connection lost',
  'conn.label': 'Connection',
  'hitl.title': 'Approval needed',
  'hitl.proposes': 'Aura proposes',
  'hitl.forCase': 'Case',
  'hitl.forDoc': 'Document',
  'hitl.why': 'Why',
  'hitl.expires': 'Expires in',
  'hitl.approve': 'Approve',
  'hitl.reject': 'Reject',
  'hitl.reason': 'Reason for rejecting',
  'hitl.reasonRequired': 'Give a reason to reject.',
  'hitl.confirmReject': 'Reject with this reason',
  'hitl.cancel': 'Cancel',
  'hitl.sending': 'Sending…',
  'hitl.approved': 'Approved',
  'hitl.rejected': 'Rejected',
  'hitl.decidedBy': 'Already decided by {who}: {what} at {when}.',
  'hitl.youDecided': 'You decided: {what}. The run continues below.',
  'hitl.timeout': 'No decision in time: the case is on HOLD.',
  'hitl.seconds': '{n} s',
  'hitl.roleOnly': 'Only an approver or an admin may decide; your role is {role}. You can follow the run here.',
  'hitl.fourEyes': 'Four-eyes rule: you started this run, so another approver must decide. Share the run link below.',
  'notif.title': 'Notifications',
  'notif.bell': 'Notifications, {n} unread',
  'notif.empty': 'No notifications yet.',
  'notif.markRead': 'Mark all read',
  'notif.close': 'Close',
  'notif.live': 'Live updates',
  'notif.open': 'Open case',
  'run.title': 'Analysis run',
  'run.start': 'Start analysis',
  'run.again': 'Run again',
  'run.steps': 'Progress',
  'run.evidence': 'Evidence',
  'run.confidence': 'Confidence',
  'run.proposals': 'Proposals',
  'run.result': 'Result',
  'run.bodyEvidence': 'Document line looked at first',
  'run.anomalyScore': 'Anomaly',
  'run.patternMatch': 'Pattern match',
  'run.ruleCompliance': 'Rule compliance',
  'run.overall': 'Overall',
  'run.requiresApproval': 'needs approval',
  'run.failed': 'The analysis failed at {stage}: {message}',
  'err.title': 'Something went wrong',
  'err.code': 'Code',
  'err.trace': 'Trace id',
  'err.network': 'Cannot reach the server. Check the connection and try again.',
  'err.retry': 'Try again',
  'err.render': 'This part of the page failed to display.',
  'common.none': '—',
} as const;

export type TextKey = keyof typeof en;

const ko: Record<TextKey, string> = {
  'app.title': 'DWP 워크벤치',
  'app.skip': '본문으로 건너뛰기',
  'lang.switch': 'English',
  'lang.label': '언어',
  'login.title': '로그인',
  'login.tenant': '테넌트',
  'login.username': '사용자 이름',
  'login.password': '비밀번호',
  'login.submit': '로그인',
  'login.busy': '로그인 중…',
  'login.expired': '세션이 만료되었습니다. 다시 로그인하세요.',
  'login.signedOut': '로그아웃되었습니다.',
  'nav.cases': '케이스',
  'nav.approvals': '승인함',
  'inbox.title': '승인함',
  'inbox.count': '결정 대기 {n}건',
  'inbox.pending': '대기 중',
  'inbox.expired': '시간 초과',
  'inbox.case': '케이스',
  'inbox.action': '조치',
  'inbox.empty': '결정을 기다리는 요청이 없습니다.',
  'inbox.emptyExpired': '시간 초과된 요청이 없습니다.',
  'inbox.onHold': '케이스 보류(HOLD)',
  'inbox.requestedBy': '{who} 요청 · {when}',
  'inbox.open': '열어서 결정',
  'inbox.openRun': '실행 보기',
  'inbox.notAllowed': '승인함은 승인자와 관리자용입니다. 현재 역할: {role}.',
  'nav.logout': '로그아웃',
  'nav.user': '로그인 사용자',
  'cases.title': '케이스 목록',
  'cases.filter': '상태',
  'cases.all': '전체',
  'cases.empty': '조건에 맞는 케이스가 없습니다.',
  'cases.loading': '케이스를 불러오는 중…',
  'col.case': '케이스',
  'col.status': '상태',
  'col.severity': '심각도',
  'col.docKey': '전표',
  'col.vendor': '거래처',
  'col.amount': '금액',
  'col.updated': '최종 변경',
  'case.back': '← 전체 케이스',
  'case.loading': '케이스를 불러오는 중…',
  'case.document': '전표',
  'case.docStatus': '전표 상태',
  'case.caseStatus': '케이스 상태',
  'case.bukrs': '회사 코드',
  'case.belnr': '전표 번호',
  'case.gjahr': '회계 연도',
  'case.buzei': '라인 항목',
  'case.lastChange': '최종 변경',
  'case.actions': '조치 이력',
  'case.noActions': '아직 조치가 없습니다.',
  'case.evidence': '증빙',
  'case.noEvidence': '기록된 증빙이 없습니다.',
  'act.who': '처리자',
  'act.what': '조치',
  'act.when': '일시',
  'act.reason': '사유',
  'aura.title': 'Aura에게 질문',
  'aura.prompt': 'Aura에게 보낼 질문',
  'aura.defaultPrompt': '케이스 {caseId}를 검토하고 조치를 제안해 주세요',
  'aura.ask': 'Aura에게 질문',
  'aura.again': '다시 질문',
  'aura.thoughts': '추론',
  'aura.plan': '계획',
  'aura.tools': '도구 실행',
  'aura.answer': '답변',
  'aura.timeline': '스트림',
  'aura.input': '입력',
  'aura.output': '결과',
  'aura.ended': '실행 종료',
  'aura.link': '이 실행의 링크 (다른 창에서 열어 보거나 결정할 수 있음)',
  'conn.idle': '시작 전',
  'conn.connecting': '연결 중…',
  'conn.open': '실시간',
  'conn.reconnecting': '재연결 중…',
  'conn.closed': '완료',
  'conn.failed': '연결 끊김',
  'conn.label': '연결 상태',
  'hitl.title': '승인 필요',
  'hitl.proposes': 'Aura 제안',
  'hitl.forCase': '케이스',
  'hitl.forDoc': '전표',
  'hitl.why': '근거',
  'hitl.expires': '남은 시간',
  'hitl.approve': '승인',
  'hitl.reject': '거절',
  'hitl.reason': '거절 사유',
  'hitl.reasonRequired': '거절 사유를 입력하세요.',
  'hitl.confirmReject': '이 사유로 거절',
  'hitl.cancel': '취소',
  'hitl.sending': '전송 중…',
  'hitl.approved': '승인됨',
  'hitl.rejected': '거절됨',
  'hitl.decidedBy': '이미 {who}님이 {when}에 {what} 처리했습니다.',
  'hitl.youDecided': '{what} 처리했습니다. 실행이 아래에서 계속됩니다.',
  'hitl.timeout': '제한 시간 안에 결정이 없어 케이스가 보류(HOLD)되었습니다.',
  'hitl.seconds': '{n}초',
  'hitl.roleOnly': '승인자 또는 관리자만 결정할 수 있습니다. 현재 역할: {role}. 이 화면에서 진행 상황을 볼 수 있습니다.',
  'hitl.fourEyes': '4-eyes 원칙: 이 실행을 시작한 사용자는 결정할 수 없습니다. 다른 승인자가 결정해야 합니다. 아래 실행 링크를 공유하세요.',
  'notif.title': '알림',
  'notif.bell': '알림, 읽지 않음 {n}개',
  'notif.empty': '알림이 없습니다.',
  'notif.markRead': '모두 읽음',
  'notif.close': '닫기',
  'notif.live': '실시간 알림',
  'notif.open': '케이스 열기',
  'run.title': '분석 실행',
  'run.start': '분석 시작',
  'run.again': '다시 분석',
  'run.steps': '진행',
  'run.evidence': '증빙',
  'run.confidence': '신뢰도',
  'run.proposals': '제안',
  'run.result': '결과',
  'run.bodyEvidence': '우선 검토한 전표 라인',
  'run.anomalyScore': '이상 점수',
  'run.patternMatch': '패턴 일치',
  'run.ruleCompliance': '규정 준수',
  'run.overall': '종합',
  'run.requiresApproval': '승인 필요',
  'run.failed': '분석이 {stage} 단계에서 실패했습니다: {message}',
  'err.title': '오류가 발생했습니다',
  'err.code': '코드',
  'err.trace': '추적 ID',
  'err.network': '서버에 연결할 수 없습니다. 연결을 확인하고 다시 시도하세요.',
  'err.retry': '다시 시도',
  'err.render': '이 부분을 표시하지 못했습니다.',
  'common.none': '—',
};

const TEXTS: Record<Lang, Record<TextKey, string>> = { en, ko };
const STORAGE_KEY = 'dwp.lang';

export type Translate = (key: TextKey, vars?: Record<string, string | number>) => string;

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'ko' || saved === 'en') return saved;
  return navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'ko';
}

export function format(lang: Lang, key: TextKey, vars?: Record<string, string | number>): string {
  let s = TEXTS[lang][key];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

interface I18n {
  lang: Lang;
  t: Translate;
  setLang(lang: Lang): void;
  /** Dates and amounts in the UI language's conventions. */
  dateTime(iso: string | number | null | undefined): string;
  amount(value: number | undefined, currency?: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = lang;
    const locale = lang === 'ko' ? 'ko-KR' : 'en-GB';
    const dtf = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    return {
      lang,
      setLang,
      t: (key, vars) => format(lang, key, vars),
      dateTime(v) {
        if (v === null || v === undefined || v === '') return '—';
        // Unix seconds (HITL records) or ISO with an offset (envelopes, notifications).
        const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
        return Number.isNaN(d.getTime()) ? String(v) : dtf.format(d);
      },
      amount(value, currency) {
        if (value === undefined) return '—';
        try {
          return new Intl.NumberFormat(locale, currency ? { style: 'currency', currency } : {}).format(value);
        } catch {
          return `${value} ${currency ?? ''}`.trim();
        }
      },
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
