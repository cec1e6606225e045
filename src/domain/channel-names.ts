import type { Channel } from './channels.ts';
import type { Language } from './languages.ts';

/** How each channel is named to a subscriber: in messages, on the certificate and on its verification page. */
export const CHANNEL_NAMES: Readonly<Record<Language, Readonly<Record<Channel, string>>>> = {
  ru: {
    web: 'сайт',
    app: 'мобильное приложение',
    phone_ivr: 'телефон (автоматическая линия)',
    phone_agent: 'телефон (оператор)',
    store: 'салон связи',
    sms: 'SMS',
    bulk: 'распоряжение оператора',
    api: 'система партнёра',
  },
  en: {
    web: 'website',
    app: 'mobile app',
    phone_ivr: 'phone (automated line)',
    phone_agent: 'phone (agent)',
    store: 'shop',
    sms: 'SMS',
    bulk: 'operator order',
    api: 'partner system',
  },
  zh: {
    web: '网站',
    app: '手机应用',
    phone_ivr: '电话（自动语音）',
    phone_agent: '电话（人工客服）',
    store: '营业厅',
    sms: '短信',
    bulk: '运营商指令',
    api: '合作方系统',
  },
};

export const channelName = (language: Language, channel: string): string => CHANNEL_NAMES[language][channel as Channel] ?? channel;
