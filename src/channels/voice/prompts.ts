/**
 * The hotline's words: every prompt of the call flow (src/domain/call-flow.ts) and of the agent queue's hold
 * line, in Russian, English and Chinese, as a person on the phone would say them. Amounts, dates, numbers and
 * references are spoken through spoken.ts. Pure.
 */
import type { Prompt, PromptParams } from '../../domain/call-flow.ts';
import { isLanguage, type Language } from '../../domain/languages.ts';
import { sayAmount, sayData, sayDate, sayDigits, sayReference, sayWait } from './spoken.ts';
import type { Spoken } from './twiml.ts';

/** What a prompt's words need besides its parameters. */
export interface Speaking {
  readonly timeZone: string;
  readonly operatorName: string;
}

type Words = (p: PromptParams, s: Speaking) => string;
type Sentences = Readonly<Record<string, Words>>;

const num = (p: PromptParams, key: string): number => Number(p[key] ?? 0);
const str = (p: PromptParams, key: string): string => String(p[key] ?? '');
/** A line named by its last four digits: enough for the holder, nothing for a bystander. */
const lastFour = (p: PromptParams, language: Language) => sayDigits(str(p, 'msisdn').slice(-4), language);

const REASONS: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  ru: {
    PORT_OUT_IN_PROGRESS: 'Номер сейчас переносится к другому оператору.',
    LEGAL_HOLD: 'На линию наложено ограничение, его нужно обсудить с сотрудником.',
    LINE_NOT_ACTIVE: 'Линия сейчас приостановлена.',
    IDENTITY_NOT_VERIFIED: 'Сначала нужно подтвердить вашу личность по документу.',
    TERMINATION_ALREADY_OPEN: 'По этой линии уже есть заявка на расторжение.',
    LINE_ALREADY_TERMINATED: 'Эта линия уже отключена.',
    OTP_LOCKED: 'Слишком много неверных кодов.',
    AUTH_LOCKED: 'Слишком много неверных попыток.',
    OTP_EXPIRED: 'Срок действия кода истёк.',
  },
  en: {
    PORT_OUT_IN_PROGRESS: 'The number is being moved to another operator right now.',
    LEGAL_HOLD: 'There is a hold on this line that a colleague needs to talk to you about.',
    LINE_NOT_ACTIVE: 'The line is suspended at the moment.',
    IDENTITY_NOT_VERIFIED: 'We first need to check your identity document.',
    TERMINATION_ALREADY_OPEN: 'There is already a request to end this line.',
    LINE_ALREADY_TERMINATED: 'This line has already been ended.',
    OTP_LOCKED: 'There have been too many wrong codes.',
    AUTH_LOCKED: 'There have been too many wrong attempts.',
    OTP_EXPIRED: 'The code has expired.',
  },
  zh: {
    PORT_OUT_IN_PROGRESS: '该号码正在携号转网。',
    LEGAL_HOLD: '该线路有限制，需要由客服与您沟通。',
    LINE_NOT_ACTIVE: '该线路目前处于停机状态。',
    IDENTITY_NOT_VERIFIED: '需要先核实您的身份证件。',
    TERMINATION_ALREADY_OPEN: '该线路已有一个注销申请。',
    LINE_ALREADY_TERMINATED: '该线路已经注销。',
    OTP_LOCKED: '验证码输错次数过多。',
    AUTH_LOCKED: '输错次数过多。',
    OTP_EXPIRED: '验证码已过期。',
  },
};

const ru: Sentences = {
  welcome: (_p, s) => `Здравствуйте! Вы позвонили в ${s.operatorName}.`,
  language_option: (p) => `Для продолжения на русском языке нажмите ${str(p, 'key')}.`,
  keys_help: () => 'В любой момент нажмите 0, чтобы поговорить с сотрудником, звёздочку, чтобы прослушать ещё раз, или 9, чтобы я говорила медленнее.',
  sorry: () => 'Извините, я вас не поняла.',
  slow_on: () => 'Хорошо, дальше я буду говорить медленнее.',
  ask_number: () => 'Наберите, пожалуйста, номер телефона, который хотите отключить, и нажмите решётку.',
  number_not_found: () => 'Я не нашла такой номер среди наших.',
  ask_document_digits: () => 'Чтобы убедиться, что это вы, наберите последние четыре цифры номера вашего паспорта или другого документа, указанного в договоре.',
  secret_wrong: () => 'Эти цифры не совпадают с документом в договоре.',
  code_sent: (p) => `Мы отправили SMS с кодом на номер, который заканчивается на ${lastFour(p, 'ru')}.`,
  ask_code: (p) => `Наберите код из SMS, в нём ${num(p, 'length')} цифр. Никому не сообщайте этот код.`,
  code_wrong: () => 'Код неверный.',
  preview_intro: (p) => `Вот что будет, если отключить номер, который заканчивается на ${lastFour(p, 'ru')}.`,
  preview_debt: (p) => `Сейчас на счёте задолженность: ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru')}.`,
  preview_invoice: (p) => `В последнем счёте будет ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru')}.`,
  preview_fee: (p) => `В эту сумму входит плата за досрочное расторжение: ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru')}.`,
  preview_instalments: (p) => `И оставшиеся платежи за устройство: ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru')}.`,
  preview_refund: (p) => `Остаток на счёте, ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru')}, мы вернём вам.`,
  preview_credit_kept: (p) => `Остаток, ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru')}, останется на лицевом счёте.`,
  preview_owed_after: (p) => `После последнего счёта останется доплатить ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'ru', { grammaticalCase: 'accusative' })}.`,
  preview_data: (p) => `Неиспользованный интернет, ${sayData(num(p, 'megabytes'), 'ru')}, сгорит.`,
  preview_effective: (p, s) => `Если отключить сейчас, номер перестанет работать ${sayDate(str(p, 'at'), 'ru', s.timeZone, { grammaticalCase: 'genitive' })}: до этого заявку можно отозвать.`,
  preview_reclaim: (p, s) => `Вернуть номер себе можно будет до ${sayDate(str(p, 'until'), 'ru', s.timeZone, { grammaticalCase: 'genitive' })}.`,
  preview_no_reclaim: () => 'После отключения вернуть этот номер будет нельзя.',
  when_menu: (p, s) =>
    `Чтобы отключить номер как можно скорее, ${sayDate(str(p, 'nowAt'), 'ru', s.timeZone, { grammaticalCase: 'genitive' })}, нажмите 1.` +
    (p.endAt ? ` Чтобы отключить в конце расчётного периода, ${sayDate(str(p, 'endAt'), 'ru', s.timeZone, { grammaticalCase: 'genitive' })}, нажмите 2.` : '') +
    ' Чтобы поговорить с сотрудником, нажмите 0. Чтобы прослушать ещё раз, нажмите звёздочку. Чтобы я говорила медленнее, нажмите 9.',
  confirm_menu: (p, s) =>
    `Итак, номер, который заканчивается на ${lastFour(p, 'ru')}, будет отключён ${sayDate(str(p, 'at'), 'ru', s.timeZone, { grammaticalCase: 'genitive' })}.` +
    (num(p, 'fee') > 0 ? ` Вы соглашаетесь с платой за досрочное расторжение, ${sayAmount(num(p, 'fee'), str(p, 'currency'), 'ru', { grammaticalCase: 'accusative' })}.` : '') +
    (num(p, 'instalments') > 0 ? ` Оставшиеся платежи за устройство, ${sayAmount(num(p, 'instalments'), str(p, 'currency'), 'ru')}, войдут в последний счёт.` : '') +
    ' Чтобы подтвердить, нажмите 1. Чтобы выбрать другую дату, нажмите 2.',
  debt_menu: (p) =>
    `Отключить номер можно только после оплаты долга в ${sayAmount(num(p, 'owed'), str(p, 'currency'), 'ru', { grammaticalCase: 'accusative' })}. ` +
    'Чтобы получить ссылку на оплату по SMS, нажмите 1. Чтобы вам перезвонил сотрудник, нажмите 2. Чтобы оставить заявку, которая будет ждать оплаты, нажмите 3.',
  payment_link_sent: (p) => `Мы отправили ссылку на оплату по SMS. Ваша заявка ${sayReference(str(p, 'reference'), 'ru')} продолжится, как только долг будет оплачен.`,
  request_blocked: (p) => `Заявка ${sayReference(str(p, 'reference'), 'ru')} принята, но пока долг не оплачен, она ждёт. Мы сообщим по SMS, что делать дальше.`,
  request_done: (p, s) => `Готово. Номер будет отключён ${sayDate(str(p, 'at'), 'ru', s.timeZone, { grammaticalCase: 'genitive' })}. Номер вашей заявки: ${sayReference(str(p, 'reference'), 'ru')}. Повторяю: ${sayReference(str(p, 'reference'), 'ru')}.`,
  reference_sms_sent: () => 'Мы отправим номер заявки по SMS вместе со ссылкой, по которой заявку можно отозвать.',
  callback_booked: () => 'Хорошо, сотрудник перезвонит вам на этот номер.',
  cannot_continue: (p) => REASONS.ru[str(p, 'code')] ?? 'Эту заявку я не могу оформить сама.',
  handover: () => 'Соединяю вас с сотрудником, который говорит по-русски. Пожалуйста, оставайтесь на линии.',
  goodbye: () => 'Спасибо за звонок. До свидания!',
  hold: (p) => `${num(p, 'position') <= 1 ? 'Вы первый в очереди' : `Перед вами в очереди: ${num(p, 'position') - 1}`}. Примерное время ожидания: ${sayWait(num(p, 'waitSeconds'), 'ru')}.`,
  hold_menu: () => 'Чтобы вам перезвонили и не ждать на линии, нажмите 1.',
  technical_problem: () => 'Извините, у нас техническая неполадка.',
};

const en: Sentences = {
  welcome: (_p, s) => `Hello, and thank you for calling ${s.operatorName}.`,
  language_option: (p) => `For English, press ${str(p, 'key')}.`,
  keys_help: () => 'At any point, press 0 to speak to a member of our team, star to hear something again, or 9 for slower speech.',
  sorry: () => "Sorry, I didn't catch that.",
  slow_on: () => "All right, I'll speak more slowly from now on.",
  ask_number: () => 'Please key in the phone number you would like to end, then press the hash key.',
  number_not_found: () => "I couldn't find that number among ours.",
  ask_document_digits: () => 'To make sure it is you, please key in the last four digits of the passport or other identity document on your contract.',
  secret_wrong: () => "Those digits don't match the document on your contract.",
  code_sent: (p) => `We have sent a text message with a code to the number ending in ${lastFour(p, 'en')}.`,
  ask_code: (p) => `Please key in the ${num(p, 'length')}-digit code from the message. Never tell this code to anyone.`,
  code_wrong: () => "That code isn't right.",
  preview_intro: (p) => `Here is what ending the line ending in ${lastFour(p, 'en')} would mean.`,
  preview_debt: (p) => `Your account is ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')} in debt.`,
  preview_invoice: (p) => `Your final bill will be ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')}.`,
  preview_fee: (p) => `That includes an early termination fee of ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')}.`,
  preview_instalments: (p) => `It also includes the ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')} still to pay for your device.`,
  preview_refund: (p) => `We will pay you back the ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')} left on your account.`,
  preview_credit_kept: (p) => `The ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')} left stays on your account.`,
  preview_owed_after: (p) => `After the final bill you will still owe ${sayAmount(num(p, 'amount'), str(p, 'currency'), 'en')}.`,
  preview_data: (p) => `The ${sayData(num(p, 'megabytes'), 'en')} of data you have left will be lost.`,
  preview_effective: (p, s) => `If you end it now, the line stops working on ${sayDate(str(p, 'at'), 'en', s.timeZone)}, and until then you can withdraw the request.`,
  preview_reclaim: (p, s) => `You can take the number back until ${sayDate(str(p, 'until'), 'en', s.timeZone)}.`,
  preview_no_reclaim: () => 'Once the line has ended, the number cannot be taken back.',
  when_menu: (p, s) =>
    `To end the line as soon as possible, on ${sayDate(str(p, 'nowAt'), 'en', s.timeZone)}, press 1.` +
    (p.endAt ? ` To end it at the end of your billing period, on ${sayDate(str(p, 'endAt'), 'en', s.timeZone)}, press 2.` : '') +
    ' To speak to a member of our team, press 0. To hear this again, press star. For slower speech, press 9.',
  confirm_menu: (p, s) =>
    `So, the line ending in ${lastFour(p, 'en')} will end on ${sayDate(str(p, 'at'), 'en', s.timeZone)}.` +
    (num(p, 'fee') > 0 ? ` You agree to the early termination fee of ${sayAmount(num(p, 'fee'), str(p, 'currency'), 'en')}.` : '') +
    (num(p, 'instalments') > 0 ? ` The ${sayAmount(num(p, 'instalments'), str(p, 'currency'), 'en')} still due for your device goes on the final bill.` : '') +
    ' To confirm, press 1. To choose another date, press 2.',
  debt_menu: (p) =>
    `The line can only be ended once the debt of ${sayAmount(num(p, 'owed'), str(p, 'currency'), 'en')} is paid. ` +
    'To get a payment link by text message, press 1. To have one of our team call you back, press 2. To leave a request that waits until the debt is paid, press 3.',
  payment_link_sent: (p) => `We have texted you a payment link. Your request, ${sayReference(str(p, 'reference'), 'en')}, goes ahead as soon as the debt is paid.`,
  request_blocked: (p) => `Your request, ${sayReference(str(p, 'reference'), 'en')}, is in, but it waits until the debt is paid. We will text you what happens next.`,
  request_done: (p, s) => `Done. The line will end on ${sayDate(str(p, 'at'), 'en', s.timeZone)}. Your reference is ${sayReference(str(p, 'reference'), 'en')}. Once again: ${sayReference(str(p, 'reference'), 'en')}.`,
  reference_sms_sent: () => 'We will text you the reference with a link to withdraw the request if you change your mind.',
  callback_booked: () => 'All right, one of our team will call you back on this number.',
  cannot_continue: (p) => REASONS.en[str(p, 'code')] ?? "I can't handle this request myself.",
  handover: () => "I'm putting you through to a member of our team who speaks English. Please stay on the line.",
  goodbye: () => 'Thank you for calling. Goodbye!',
  hold: (p) => `${num(p, 'position') <= 1 ? 'You are next in the queue' : `You are number ${num(p, 'position')} in the queue`}. The expected wait is about ${sayWait(num(p, 'waitSeconds'), 'en')}.`,
  hold_menu: () => 'To be called back instead of waiting, press 1.',
  technical_problem: () => "Sorry, we're having a technical problem.",
};

const zh: Sentences = {
  welcome: (_p, s) => `您好，欢迎致电${s.operatorName}。`,
  language_option: (p) => `中文服务请按${str(p, 'key')}。`,
  keys_help: () => '在任何时候，人工服务请按0，重听请按星号键，放慢语速请按9。',
  sorry: () => '抱歉，我没有听清。',
  slow_on: () => '好的，接下来我会说慢一点。',
  ask_number: () => '请输入您要注销的手机号码，以井号键结束。',
  number_not_found: () => '没有找到这个号码。',
  ask_document_digits: () => '为了确认是您本人，请输入合同上登记的护照或其他证件号码的最后四位。',
  secret_wrong: () => '这几位数字与合同上的证件不符。',
  code_sent: (p) => `我们已向尾号${lastFour(p, 'zh')}的号码发送了短信验证码。`,
  ask_code: (p) => `请输入短信中的${num(p, 'length')}位验证码。请勿将验证码告诉任何人。`,
  code_wrong: () => '验证码不正确。',
  preview_intro: (p) => `下面是注销尾号${lastFour(p, 'zh')}的号码会带来的影响。`,
  preview_debt: (p) => `您的账户目前欠费${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}。`,
  preview_invoice: (p) => `最后一期账单为${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}。`,
  preview_fee: (p) => `其中包括提前解约费${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}。`,
  preview_instalments: (p) => `其中还包括尚未付清的设备分期款${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}。`,
  preview_refund: (p) => `账户余额${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}将退还给您。`,
  preview_credit_kept: (p) => `余额${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}将保留在账户中。`,
  preview_owed_after: (p) => `结清最后一期账单后，您还需补交${sayAmount(num(p, 'amount'), str(p, 'currency'), 'zh')}。`,
  preview_data: (p) => `剩余的${sayData(num(p, 'megabytes'), 'zh')}流量将作废。`,
  preview_effective: (p, s) => `如果现在注销，号码将于${sayDate(str(p, 'at'), 'zh', s.timeZone)}停止使用，在此之前您可以撤回申请。`,
  preview_reclaim: (p, s) => `在${sayDate(str(p, 'until'), 'zh', s.timeZone)}之前，您可以取回这个号码。`,
  preview_no_reclaim: () => '注销后，这个号码将无法取回。',
  when_menu: (p, s) =>
    `尽快注销，即${sayDate(str(p, 'nowAt'), 'zh', s.timeZone)}，请按1。` +
    (p.endAt ? `在本计费周期结束时注销，即${sayDate(str(p, 'endAt'), 'zh', s.timeZone)}，请按2。` : '') +
    '人工服务请按0。重听请按星号键。放慢语速请按9。',
  confirm_menu: (p, s) =>
    `尾号${lastFour(p, 'zh')}的号码将于${sayDate(str(p, 'at'), 'zh', s.timeZone)}注销。` +
    (num(p, 'fee') > 0 ? `您同意支付提前解约费${sayAmount(num(p, 'fee'), str(p, 'currency'), 'zh')}。` : '') +
    (num(p, 'instalments') > 0 ? `尚未付清的设备分期款${sayAmount(num(p, 'instalments'), str(p, 'currency'), 'zh')}将计入最后一期账单。` : '') +
    '确认请按1，选择其他日期请按2。',
  debt_menu: (p) =>
    `需要先付清欠费${sayAmount(num(p, 'owed'), str(p, 'currency'), 'zh')}，才能注销号码。` + '需要短信付款链接请按1。需要客服回电请按2。保留申请、等待付款后再办理请按3。',
  payment_link_sent: (p) => `我们已通过短信发送付款链接。欠费付清后，您的申请${sayReference(str(p, 'reference'), 'zh')}将继续办理。`,
  request_blocked: (p) => `您的申请${sayReference(str(p, 'reference'), 'zh')}已受理，但需要等欠费付清后才能办理。我们会通过短信告诉您下一步。`,
  request_done: (p, s) => `办好了。号码将于${sayDate(str(p, 'at'), 'zh', s.timeZone)}注销。您的申请编号是${sayReference(str(p, 'reference'), 'zh')}。再说一遍：${sayReference(str(p, 'reference'), 'zh')}。`,
  reference_sms_sent: () => '我们会通过短信发送申请编号和撤回申请的链接。',
  callback_booked: () => '好的，客服会回电到这个号码。',
  cannot_continue: (p) => REASONS.zh[str(p, 'code')] ?? '这个申请我无法自动办理。',
  handover: () => '正在为您转接中文客服，请不要挂机。',
  goodbye: () => '感谢您的来电，再见！',
  hold: (p) => `${num(p, 'position') <= 1 ? '下一位就是您' : `您前面还有${num(p, 'position') - 1}位`}，预计等待${sayWait(num(p, 'waitSeconds'), 'zh')}。`,
  hold_menu: () => '如不想等待，需要客服回电，请按1。',
  technical_problem: () => '抱歉，系统出现了技术故障。',
};

export const PROMPTS: Readonly<Record<Language, Sentences>> = { ru, en, zh };

/** One prompt's sentence in `language`; the language menu's options are each said in their own language. */
export function word(prompt: Prompt, language: Language, speaking: Speaking): Spoken {
  const own = prompt.key === 'language_option' && isLanguage(prompt.params?.language) ? prompt.params.language : language;
  const words = PROMPTS[own][prompt.key];
  if (!words) throw new Error(`no words for the prompt ${prompt.key}`);
  return { text: words(prompt.params ?? {}, speaking), language: own };
}
