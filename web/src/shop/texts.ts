/** Every word of the shop's public screens (the kiosk and the lobby board), in ru/en/zh. */
import type { Language } from '../../../src/domain/languages.ts';

const en = {
  'kiosk.title': 'Take a ticket',
  'kiosk.chooseLanguage': 'Choose your language',
  'kiosk.chooseService': 'What do you need today?',
  'kiosk.waiting': '{count} waiting · about {wait}',
  'kiosk.waitingNone': 'Nobody waiting · you are next',
  'kiosk.noCounter': 'No counter offers this right now',
  'kiosk.yourTicket': 'Your ticket',
  'kiosk.ahead': 'People ahead of you: {count}',
  'kiosk.wait': 'Estimated wait: about {wait}',
  'kiosk.waitNext': 'You are next',
  'kiosk.waitUnknown': 'We cannot estimate the wait right now',
  'kiosk.watchBoard': 'Watch the board: your number will be called with the counter to go to.',
  'kiosk.taken': 'Taken at {time}',
  'kiosk.print': 'Print the ticket',
  'kiosk.done': 'Done',
  'kiosk.restart': 'Back to the start in {seconds} s',
  'kiosk.back': 'Back',
  'kiosk.failed': 'We could not give you a ticket: {message}. Please ask a member of staff.',
  'kiosk.loading': 'Loading…',
  'board.title': 'Now serving',
  'board.ticket': 'Ticket',
  'board.counter': 'Counter',
  'board.none': 'Nobody has been called yet',
  'board.reconnecting': 'Reconnecting…',
  'board.again': 'again',
};
type Key = keyof typeof en;

const ru: Record<Key, string> = {
  'kiosk.title': 'Возьмите талон',
  'kiosk.chooseLanguage': 'Выберите язык',
  'kiosk.chooseService': 'Что вам нужно сегодня?',
  'kiosk.waiting': 'В очереди: {count} · около {wait}',
  'kiosk.waitingNone': 'Очереди нет · вы следующий',
  'kiosk.noCounter': 'Сейчас это окно не работает',
  'kiosk.yourTicket': 'Ваш талон',
  'kiosk.ahead': 'Перед вами: {count}',
  'kiosk.wait': 'Ожидание: около {wait}',
  'kiosk.waitNext': 'Вы следующий',
  'kiosk.waitUnknown': 'Сейчас мы не можем оценить ожидание',
  'kiosk.watchBoard': 'Следите за табло: там появится ваш номер и окно, к которому подойти.',
  'kiosk.taken': 'Выдан в {time}',
  'kiosk.print': 'Распечатать талон',
  'kiosk.done': 'Готово',
  'kiosk.restart': 'Возврат к началу через {seconds} с',
  'kiosk.back': 'Назад',
  'kiosk.failed': 'Не удалось выдать талон: {message}. Обратитесь, пожалуйста, к сотруднику.',
  'kiosk.loading': 'Загрузка…',
  'board.title': 'Приглашаются',
  'board.ticket': 'Талон',
  'board.counter': 'Окно',
  'board.none': 'Пока никого не пригласили',
  'board.reconnecting': 'Восстанавливаем связь…',
  'board.again': 'повторно',
};

const zh: Record<Key, string> = {
  'kiosk.title': '取号',
  'kiosk.chooseLanguage': '请选择语言',
  'kiosk.chooseService': '您今天需要办理什么？',
  'kiosk.waiting': '{count} 人等候 · 约 {wait}',
  'kiosk.waitingNone': '无人等候 · 下一位就是您',
  'kiosk.noCounter': '目前没有窗口办理此业务',
  'kiosk.yourTicket': '您的号码',
  'kiosk.ahead': '您前面还有 {count} 人',
  'kiosk.wait': '预计等候：约 {wait}',
  'kiosk.waitNext': '下一位就是您',
  'kiosk.waitUnknown': '目前无法估计等候时间',
  'kiosk.watchBoard': '请留意显示屏：叫到您的号码时会显示前往的窗口。',
  'kiosk.taken': '取号时间 {time}',
  'kiosk.print': '打印号票',
  'kiosk.done': '完成',
  'kiosk.restart': '{seconds} 秒后返回首页',
  'kiosk.back': '返回',
  'kiosk.failed': '未能为您取号：{message}。请联系工作人员。',
  'kiosk.loading': '加载中…',
  'board.title': '请到窗口办理',
  'board.ticket': '号码',
  'board.counter': '窗口',
  'board.none': '尚未叫号',
  'board.reconnecting': '正在重新连接…',
  'board.again': '再次叫号',
};

export type ShopKey = Key;
export const SHOP_TEXTS: Record<Language, Record<Key, string>> = { en, ru, zh };

export function shopText(language: Language, key: Key, values: Record<string, string> = {}): string {
  return SHOP_TEXTS[language][key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
