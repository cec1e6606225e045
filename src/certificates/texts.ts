import type { Language } from '../domain/languages.ts';

export interface CertificateTexts {
  readonly title: string;
  readonly intro: string;
  readonly reference: string;
  readonly number: string;
  readonly card: string;
  readonly sim: string;
  readonly esim: string;
  readonly requested: string;
  readonly effective: string;
  readonly completed: string;
  readonly settled: string;
  readonly refunded: string;
  readonly quarantine: string;
  readonly channel: string;
  readonly verify: string;
  readonly signed: string;
}

export const CERTIFICATE_TEXTS: Readonly<Record<Language, CertificateTexts>> = {
  en: {
    title: 'Certificate of termination',
    intro: 'The mobile line below has been terminated at the subscriber\'s or the operator\'s request.',
    reference: 'Reference',
    number: 'Number',
    card: 'Card',
    sim: 'SIM card',
    esim: 'eSIM',
    requested: 'Requested',
    effective: 'Effective',
    completed: 'Completed',
    settled: 'Final invoice',
    refunded: 'Paid back',
    quarantine: 'Number kept for the former holder until',
    channel: 'Requested through',
    verify: 'Check this certificate',
    signed: 'Signed electronically (Ed25519), key',
  },
  ru: {
    title: 'Справка о расторжении договора',
    intro: 'Договор на оказание услуг связи по указанному номеру расторгнут по заявлению абонента или оператора.',
    reference: 'Номер заявки',
    number: 'Номер',
    card: 'Карта',
    sim: 'SIM-карта',
    esim: 'eSIM',
    requested: 'Заявление подано',
    effective: 'Дата расторжения',
    completed: 'Выполнено',
    settled: 'Итоговый счёт',
    refunded: 'Возвращено',
    quarantine: 'Номер закреплён за прежним владельцем до',
    channel: 'Способ подачи',
    verify: 'Проверить справку',
    signed: 'Подписано электронной подписью (Ed25519), ключ',
  },
  zh: {
    title: '注销证明',
    intro: '下列手机号码已应用户或运营商的申请注销。',
    reference: '申请编号',
    number: '号码',
    card: '卡类型',
    sim: 'SIM 卡',
    esim: 'eSIM',
    requested: '申请时间',
    effective: '生效时间',
    completed: '完成时间',
    settled: '最终账单',
    refunded: '已退还',
    quarantine: '号码为原机主保留至',
    channel: '申请渠道',
    verify: '验证此证明',
    signed: '已电子签名（Ed25519），密钥',
  },
};
