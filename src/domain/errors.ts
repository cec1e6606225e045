/**
 * The error catalogue: every failure a caller can see has a stable code, an
 * HTTP status (used by the API in one place) and a message per language.
 * Messages may use `{name}` placeholders filled from the error's details.
 */
export type Language = 'ru' | 'en' | 'zh';

interface CatalogueEntry {
  readonly status: number;
  readonly message: Readonly<Record<Language, string>>;
}

const entry = (status: number, en: string, ru: string, zh: string): CatalogueEntry => ({
  status,
  message: { en, ru, zh },
});

export const errorCatalogue = {
  VALIDATION_FAILED: entry(400, 'The input is not valid: {reason}', 'Неверные данные: {reason}', '输入无效：{reason}'),
  INVALID_MSISDN: entry(400, 'Not a valid phone number: {input}', 'Неверный номер телефона: {input}', '无效的电话号码：{input}'),
  INVALID_CHANNEL: entry(400, 'Unknown channel: {input}', 'Неизвестный канал: {input}', '未知渠道：{input}'),
  INVALID_EFFECTIVE_DATE: entry(
    400,
    'Not an allowed effective date: {input} ({reason})',
    'Недопустимая дата расторжения: {input} ({reason})',
    '不允许的生效日期：{input}（{reason}）',
  ),
  INVALID_AMOUNT: entry(400, 'Not a valid amount: {input}', 'Неверная сумма: {input}', '无效金额：{input}'),
  LINE_NOT_FOUND: entry(404, 'No line found for {input}', 'Линия {input} не найдена', '未找到线路 {input}'),
  CUSTOMER_NOT_FOUND: entry(404, 'No customer found for {input}', 'Клиент {input} не найден', '未找到客户 {input}'),
  ACCOUNT_NOT_FOUND: entry(404, 'No account found for {input}', 'Лицевой счёт {input} не найден', '未找到账户 {input}'),
  TERMINATION_NOT_FOUND: entry(
    404,
    'No termination with reference {input}',
    'Заявка на расторжение {input} не найдена',
    '未找到注销申请 {input}',
  ),
  NUMBER_NOT_FOUND: entry(404, 'Number {input} is not ours', 'Номер {input} нам не принадлежит', '号码 {input} 不属于本运营商'),
  TERMINATION_ALREADY_OPEN: entry(
    409,
    'This line already has an open termination: {reference}',
    'По этой линии уже есть заявка на расторжение: {reference}',
    '该线路已有进行中的注销申请：{reference}',
  ),
  LINE_ALREADY_TERMINATED: entry(
    409,
    'This line has already been terminated',
    'Эта линия уже отключена',
    '该线路已注销',
  ),
  INVALID_TRANSITION: entry(
    409,
    'A {entity} cannot go from {from} to {to}',
    'Переход {entity} из состояния {from} в {to} невозможен',
    '{entity} 无法从 {from} 变为 {to}',
  ),
  BLOCKERS_PRESENT: entry(
    409,
    'The termination cannot go ahead until these are resolved: {codes}',
    'Расторжение невозможно, пока не решены вопросы: {codes}',
    '在解决以下问题之前无法注销：{codes}',
  ),
  COOLING_OFF_OVER: entry(
    409,
    'It is too late to withdraw: the termination took effect at {effectiveAt}',
    'Отозвать заявку уже нельзя: расторжение вступило в силу {effectiveAt}',
    '已无法撤回：注销已于 {effectiveAt} 生效',
  ),
  NOTHING_TO_PAY: entry(409, 'There is nothing to pay on this account', 'По этому счёту нет задолженности', '该账户无需付款'),
  NUMBER_NOT_RECLAIMABLE: entry(
    409,
    'Number {msisdn} cannot be reclaimed: it is {state}',
    'Номер {msisdn} нельзя вернуть: состояние {state}',
    '号码 {msisdn} 无法找回：当前状态为 {state}',
  ),
  RECLAIM_NOT_FORMER_HOLDER: entry(
    403,
    'Only the former holder of a number can reclaim it',
    'Вернуть номер может только его прежний владелец',
    '只有号码的原持有人才能找回该号码',
  ),
  NO_STOCK: entry(503, 'No {kind} is in stock', 'Нет в наличии: {kind}', '{kind} 无库存'),
  CONFIG_INVALID: entry(500, 'Configuration is not valid: {reason}', 'Ошибка конфигурации: {reason}', '配置无效：{reason}'),
  CSV_INVALID: entry(
    400,
    'Line {row} of the CSV file is not valid: {reason}',
    'Строка {row} CSV-файла неверна: {reason}',
    'CSV 文件第 {row} 行无效：{reason}',
  ),
  AUDIT_CHAIN_BROKEN: entry(
    500,
    'The audit log was changed at entry {seq}',
    'Журнал аудита изменён в записи {seq}',
    '审计日志在第 {seq} 条被篡改',
  ),
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** The one error type of the application: a stable code plus the facts behind it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}) {
    super(renderMessage(code, details, 'en'));
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  messageIn(language: Language): string {
    return renderMessage(this.code, this.details, language);
  }
}

export function renderMessage(code: ErrorCode, details: ErrorDetails, language: Language): string {
  const template = errorCatalogue[code].message[language];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    if (value === undefined || value === null) return whole;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
