/** Every word of the staff pages, in each language the operator's staff read (the subscriber site has its own). */
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../../../src/domain/languages.ts';
import { accessEn, accessRu, accessZh } from './access-texts.ts';
import { callEn, callRu, callZh } from './call-texts.ts';
import { dashEn, dashRu, dashZh } from './dashboard-texts.ts';
import { adminEn, adminRu, adminZh } from './shop-admin-texts.ts';
import { reportsEn, reportsRu, reportsZh } from './reports-texts.ts';
import { bulkEn, bulkRu, bulkZh } from './bulk-texts.ts';
import { shopEn, shopRu, shopZh } from './shop-texts.ts';

export type StaffLanguage = Language;

export const STAFF_LANGUAGES: readonly { code: StaffLanguage; label: string }[] = LANGUAGES.map((code) => ({ code, label: LANGUAGE_NAMES[code] }));

const en = {
  'app.title': 'Back office',
  'nav.language': 'Language',
  'nav.signOut': 'Sign out',
  'signIn.title': 'Staff sign-in',
  'signIn.intro': 'For the operator’s staff. Subscribers sign in on the main site.',
  'signIn.login': 'Staff login',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.failed': 'Wrong login or password.',
  'signIn.notStaff': 'This page is for staff. You are signed in as a subscriber: sign out, then sign in with your staff login.',
  'alerts.title': 'Alerts',
  'alerts.intro': 'What a person must look at, newest first.',
  'alerts.showHandled': 'Show handled alerts too',
  'alerts.none': 'Nothing to look at.',
  'alerts.when': 'Raised',
  'alerts.what': 'What',
  'alerts.order': 'Order',
  'alerts.number': 'Number',
  'alerts.status': 'Status',
  'alerts.open': 'Open',
  'alerts.handled': 'Handled {when}',
  'alerts.markHandled': 'Mark as looked at',
  'alerts.forbidden': 'Your role cannot see alerts: they are for the back office.',
  'alerts.kind.not_me': 'The holder says they did not ask for this cancellation',
  'alerts.kind.other': 'Alert of another kind ({kind})',
  'error.generic': 'Something went wrong: {message}',
  ...callEn,
  ...shopEn,
  ...adminEn,
  ...dashEn,
  ...accessEn,
  ...reportsEn,
  ...bulkEn,
} as const;

export type StaffKey = keyof typeof en;

const ru: Record<StaffKey, string> = {
  'app.title': 'Бэк-офис',
  'nav.language': 'Язык',
  'nav.signOut': 'Выйти',
  'signIn.title': 'Вход для сотрудников',
  'signIn.intro': 'Для сотрудников оператора. Абоненты входят на основном сайте.',
  'signIn.login': 'Логин сотрудника',
  'signIn.password': 'Пароль',
  'signIn.submit': 'Войти',
  'signIn.failed': 'Неверный логин или пароль.',
  'signIn.notStaff': 'Эта страница для сотрудников. Вы вошли как абонент: выйдите и войдите с логином сотрудника.',
  'alerts.title': 'Сигналы',
  'alerts.intro': 'Что нужно проверить сотруднику, сначала новые.',
  'alerts.showHandled': 'Показывать и обработанные',
  'alerts.none': 'Проверять нечего.',
  'alerts.when': 'Поступил',
  'alerts.what': 'Что случилось',
  'alerts.order': 'Заявка',
  'alerts.number': 'Номер',
  'alerts.status': 'Состояние',
  'alerts.open': 'Не обработан',
  'alerts.handled': 'Обработан {when}',
  'alerts.markHandled': 'Отметить как проверенный',
  'alerts.forbidden': 'Вашей роли сигналы недоступны: они для бэк-офиса.',
  'alerts.kind.not_me': 'Владелец номера говорит, что не просил об отключении',
  'alerts.kind.other': 'Сигнал другого вида ({kind})',
  'error.generic': 'Что-то пошло не так: {message}',
  ...callRu,
  ...shopRu,
  ...adminRu,
  ...dashRu,
  ...accessRu,
  ...reportsRu,
  ...bulkRu,
};

const zh: Record<StaffKey, string> = {
  'app.title': '后台',
  'nav.language': '语言',
  'nav.signOut': '退出',
  'signIn.title': '员工登录',
  'signIn.intro': '供运营商员工使用。用户请在主站登录。',
  'signIn.login': '员工账号',
  'signIn.password': '密码',
  'signIn.submit': '登录',
  'signIn.failed': '账号或密码错误。',
  'signIn.notStaff': '此页面仅供员工使用。您当前以用户身份登录：请退出后使用员工账号登录。',
  'alerts.title': '提醒',
  'alerts.intro': '需要人工查看的事项，最新的在前。',
  'alerts.showHandled': '同时显示已处理的提醒',
  'alerts.none': '暂无需要查看的事项。',
  'alerts.when': '提出时间',
  'alerts.what': '事项',
  'alerts.order': '申请',
  'alerts.number': '号码',
  'alerts.status': '状态',
  'alerts.open': '未处理',
  'alerts.handled': '已于 {when} 处理',
  'alerts.markHandled': '标记为已查看',
  'alerts.forbidden': '您的角色无法查看提醒：提醒仅供后台使用。',
  'alerts.kind.not_me': '号码持有人表示并未申请此次注销',
  'alerts.kind.other': '其他类型的提醒（{kind}）',
  'error.generic': '出现问题：{message}',
  ...callZh,
  ...shopZh,
  ...adminZh,
  ...dashZh,
  ...accessZh,
  ...reportsZh,
  ...bulkZh,
};

export const STAFF_TEXTS: Record<StaffLanguage, Record<StaffKey, string>> = { en, ru, zh };

export function staffText(language: StaffLanguage, key: StaffKey, values: Record<string, string> = {}): string {
  return STAFF_TEXTS[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The saved choice, else the browser's first language among ours, else English. */
export function initialStaffLanguage(saved: string | null, browser: readonly string[]): StaffLanguage {
  if (isLanguage(saved)) return saved;
  for (const tag of browser) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLanguage(base)) return base;
  }
  return 'en';
}
