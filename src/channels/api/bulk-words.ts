/** A bulk run's result file in words, in the reader's language: the outcome of each number, never a code. */
import type { BulkRowOutcome } from '../../domain/bulk-report.ts';
import { errorCatalogue } from '../../domain/errors.ts';
import type { Language } from '../../domain/languages.ts';

const HEADER: Record<Language, readonly [string, string, string]> = {
  en: ['number', 'reference', 'outcome'],
  ru: ['номер', 'заявка', 'результат'],
  zh: ['号码', '申请编号', '结果'],
};

const OUTCOME: Record<Language, Record<BulkRowOutcome, string>> = {
  en: {
    completed: 'Termination ordered and carried out: the line is ended',
    scheduled: 'Termination ordered and scheduled',
    created: 'Termination ordered',
    blocked: 'Termination ordered, waiting: {blockers}',
    skipped_earlier_run: 'Skipped: already ordered by an earlier run of this file',
    skipped_terminated: 'Skipped: the line has already been ended',
    skipped_open: 'Skipped: the line is already being ended',
    failed: 'Not ordered: {error}',
  },
  ru: {
    completed: 'Заявка на отключение создана и выполнена: линия отключена',
    scheduled: 'Заявка на отключение создана и запланирована',
    created: 'Заявка на отключение создана',
    blocked: 'Заявка на отключение создана, ожидает: {blockers}',
    skipped_earlier_run: 'Пропущен: уже заказан прошлым запуском этого файла',
    skipped_terminated: 'Пропущен: линия уже отключена',
    skipped_open: 'Пропущен: линия уже в процессе отключения',
    failed: 'Заявка не создана: {error}',
  },
  zh: {
    completed: '已创建注销申请并已执行：线路已注销',
    scheduled: '已创建注销申请并已排期',
    created: '已创建注销申请',
    blocked: '已创建注销申请，等待处理：{blockers}',
    skipped_earlier_run: '已跳过：此文件的上一次运行已申请',
    skipped_terminated: '已跳过：该线路已注销',
    skipped_open: '已跳过：该线路正在注销中',
    failed: '未创建申请：{error}',
  },
};

const BLOCKER: Record<Language, Record<string, string>> = {
  en: {
    UNPAID_BALANCE: 'unpaid balance',
    IDENTITY_NOT_VERIFIED: 'identity not verified',
    EARLY_TERMINATION_FEE_NOT_ACCEPTED: 'early termination fee not accepted',
    DEVICE_INSTALMENTS_OUTSTANDING: 'device instalments outstanding',
    LINE_NOT_ACTIVE: 'line not active',
    PORT_OUT_IN_PROGRESS: 'number being ported out',
    LEGAL_HOLD: 'legal hold',
  },
  ru: {
    UNPAID_BALANCE: 'задолженность',
    IDENTITY_NOT_VERIFIED: 'личность не подтверждена',
    EARLY_TERMINATION_FEE_NOT_ACCEPTED: 'не принята плата за досрочное расторжение',
    DEVICE_INSTALMENTS_OUTSTANDING: 'не выплачена рассрочка за устройство',
    LINE_NOT_ACTIVE: 'линия не активна',
    PORT_OUT_IN_PROGRESS: 'номер переносится к другому оператору',
    LEGAL_HOLD: 'юридический запрет',
  },
  zh: {
    UNPAID_BALANCE: '欠费未结清',
    IDENTITY_NOT_VERIFIED: '身份未验证',
    EARLY_TERMINATION_FEE_NOT_ACCEPTED: '未接受提前解约费',
    DEVICE_INSTALMENTS_OUTSTANDING: '设备分期未付清',
    LINE_NOT_ACTIVE: '线路未激活',
    PORT_OUT_IN_PROGRESS: '号码正在携出',
    LEGAL_HOLD: '法律冻结',
  },
};

const OTHER: Record<Language, string> = { en: 'another reason', ru: 'другая причина', zh: '其他原因' };

/** A CSV field, quoted when it must be (and a leading formula character defused for spreadsheets). */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^\+\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const resultHeader = (language: Language): string => `${HEADER[language].join(',')}\r\n`;

export function outcomeInWords(language: Language, outcome: BulkRowOutcome, detail: string | null): string {
  const blockers = (detail ?? '').split(',').filter(Boolean).map((code) => BLOCKER[language][code] ?? OTHER[language]);
  // An error's catalogue message when it reads whole without its details, else words that name no code.
  const message = detail && detail in errorCatalogue ? errorCatalogue[detail as keyof typeof errorCatalogue].message[language] : undefined;
  const error = message && !message.includes('{') ? message : OTHER[language];
  return OUTCOME[language][outcome].replace('{blockers}', blockers.join(', ')).replace('{error}', error);
}
