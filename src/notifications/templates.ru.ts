import { channelName } from '../domain/channel-names.ts';
import { type RequestFactLabels, requestFacts, undoOf } from './request-facts.ts';
import { smsCancelCopy, smsReplyCopy } from './sms-replies.ts';
import type { Formatter } from './format.ts';
import type { Block, LanguagePack, Payloads } from './templates.ts';

const SIM = { sim: 'SIM-карта', esim: 'eSIM' } as const;
const simName = (t: string) => SIM[t as keyof typeof SIM] ?? t;
/** «на новой SIM-карте» / «на новой eSIM». */
const onNewSim = (t: string) => (t === 'sim' ? 'на новой SIM-карте' : `на новой ${simName(t)}`);

/** Russian dates end in «г.»: a sentence that ends with one takes no second dot. */
const dot = (text: string) => (text.endsWith('.') ? text : `${text}.`);

const factLabels: RequestFactLabels = { reference: 'Номер заявки', line: 'Номер телефона', takesEffect: 'Вступает в силу', lapsesAt: 'Без подтверждения истекает', withdrawUntil: 'Отозвать можно до' };

const neverAsks = (op: string) =>
  `${op} никогда не спрашивает этот код — ни по телефону, ни в мессенджерах, ни по электронной почте. Никому его не сообщайте, даже тому, кто называет себя нашим сотрудником.`;

const otp =
  (subject: string, action: (line: string, about: string) => string): LanguagePack['templates']['otp.password_reset'] =>
  (p, f) => ({
    subject,
    blocks: [
      { kind: 'code', label: 'Ваш код', code: p.code },
      { kind: 'p', text: `Этот код нужен, ${action(f.masked(p.msisdn), p.subject)}. Он действует до ${f.time(p.expiresAt)}.` },
      { kind: 'important', text: neverAsks(f.operatorName) },
      { kind: 'p', text: 'Если вы не запрашивали код, просто не обращайте внимания на это сообщение: без кода ничего не произойдёт.' },
    ],
    sms: `Код ${p.code} — ${action(f.masked(p.msisdn), p.subject)}. Действует до ${f.time(p.expiresAt)}. ${f.operatorName} никогда не спрашивает этот код по телефону или в мессенджерах. Никому его не сообщайте.`,
  });

/** Где справка: во вложении, на странице заявки (массовое распоряжение, по политике) или, если её нет, на странице. */
const certificateBlocks = (p: Payloads['termination.completed'], f: Formatter): Block[] => {
  const verify = f.link(`/verify/${p.reference}`);
  if (p.certificate === 'attached') return [{ kind: 'p', text: `Подписанная справка приложена к письму: ${p.reference}.pdf. Любой, кому вы её покажете, может проверить её по адресу ${verify}.` }];
  if (p.certificate === 'link')
    return [{ kind: 'p', text: `Подписанная справка (PDF) — на странице вашей заявки: войдите на ${f.siteUrl} и откройте ссылку ниже, чтобы её скачать. Любой, кому вы её покажете, может проверить её по адресу ${verify}.` }];
  return [{ kind: 'p', text: 'Справка доступна по ссылке ниже.' }];
};

export const ru: LanguagePack = {
  footer: (f) => `${f.operatorName} · ${f.siteUrl} · Сообщение отправлено автоматически, ответы на него не читаются.`,
  templates: {
    'termination.requested': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const state =
        p.state === 'awaiting_confirmation'
          ? 'Заявка вступит в силу только после подтверждения.'
          : p.state === 'scheduled'
            ? `Заявка подтверждена и вступит в силу ${f.dateTime(p.effectiveAt)}.`
            : p.state === 'blocked'
              ? 'Прежде чем её выполнить, нужно кое-что урегулировать — подробности по ссылке ниже.'
              : 'Сейчас мы её проверяем.';
      const undo = undoOf(p);
      const notYou =
        undo.way === 'withdraw'
          ? `Вы не подавали эту заявку? Отзовите её по ссылке ниже до ${f.dateTime(undo.until)} — номер останется за вами.`
          : undo.way === 'lapse'
            ? `Вы не подавали эту заявку? Никому не сообщайте код, который придёт на этот номер: без него заявка истечёт ${f.dateTime(undo.at)}, и номер останется за вами.`
            : 'Вы не подавали эту заявку? Без вас она не будет выполнена. Сообщите нам в салоне связи или по телефону — мы её отклоним.';
      const notYouSms =
        undo.way === 'withdraw'
          ? `Это не вы? Отзовите до ${f.dateTime(undo.until)}`
          : undo.way === 'lapse'
            ? `Это не вы? Никому не сообщайте код: без него заявка истечёт ${f.dateTime(undo.at)}`
            : 'Это не вы? Без вас заявка не будет выполнена; сообщите нам, и мы её отклоним';
      return {
        subject: `Получена заявка на расторжение договора по номеру ${f.phone(p.msisdn)} (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Мы получили заявку на расторжение договора по номеру ${f.phone(p.msisdn)}. ${state}` },
          requestFacts(p, f, factLabels),
          { kind: 'important', text: notYou },
          { kind: 'link', label: undo.way === 'withdraw' ? 'Посмотреть или отозвать заявку' : 'Посмотреть заявку', href: link },
        ],
        sms: `${f.operatorName}: получена заявка ${p.reference} на расторжение договора по номеру ${f.phone(p.msisdn)}, вступает в силу ${f.dateTime(p.effectiveAt)}. ${notYouSms}: ${link}`,
      };
    },
    'termination.scheduled': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Договор по номеру ${f.phone(p.msisdn)} будет расторгнут ${f.day(p.effectiveAt)} (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Ваша заявка на расторжение договора по номеру ${f.phone(p.msisdn)} подтверждена. Договор будет расторгнут ${f.dateTime(p.effectiveAt)}.` },
          requestFacts(p, f, factLabels),
          { kind: 'important', text: `Передумали или это были не вы? Отзовите заявку до ${f.dateTime(p.withdrawUntil)} по ссылке ниже.` },
          { kind: 'link', label: 'Посмотреть или отозвать заявку', href: link },
        ],
        sms: `${f.operatorName}: договор по номеру ${f.phone(p.msisdn)} будет расторгнут ${f.dateTime(p.effectiveAt)} (${p.reference}). Отозвать до этого времени: ${link}`,
      };
    },
    'termination.completed': (p, f, policy) => {
      const link = f.link(`/terminations/${p.reference}`);
      const rows: [string, string][] = [
        ['Номер заявки', p.reference],
        ['Номер телефона', f.phone(p.msisdn)],
        ['SIM', simName(p.simType)],
        ['Способ подачи', channelName('ru', p.channel)],
        ['Заявка подана', f.dateTime(p.requestedAt)],
        ['Вступила в силу', f.dateTime(p.effectiveAt)],
        ['Выполнена', f.dateTime(p.completedAt)],
        ['Итоговый счёт', f.money(p.amountSettled, p.currency)],
        ['Возвращено вам', f.money(p.amountRefunded, p.currency)],
      ];
      if (p.quarantineUntil) rows.push(['Номер сохраняется за вами до', f.day(p.quarantineUntil)]);
      const reclaim = p.quarantineUntil && policy.quarantine.reclaimAllowed;
      return {
        subject: `Договор по номеру ${f.phone(p.msisdn)} расторгнут (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Договор по номеру ${f.phone(p.msisdn)} расторгнут. Сохраните это письмо как подтверждение.` },
          ...certificateBlocks(p, f),
          { kind: 'facts', rows },
          {
            kind: 'p',
            text:
              p.simType === 'esim'
                ? 'eSIM больше не работает. Удалите её профиль на устройстве: «Настройки» → «Сотовая связь» (или «Мобильная сеть») → eSIM → «Удалить».'
                : 'SIM-карта больше не работает, её можно разрезать и выбросить.',
          },
          { kind: 'p', text: 'Банки, мессенджеры и другие сервисы, которые присылают коды на этот номер, переведите на ваш новый номер.' },
          ...(reclaim && p.quarantineUntil ? [{ kind: 'p' as const, text: dot(`Передумали? Номер можно вернуть до ${f.day(p.quarantineUntil)}`) }] : []),
          { kind: 'link', label: p.certificate === 'link' ? 'Подробности и справка (скачать PDF)' : 'Подробности и справка', href: link },
          ...(p.certificate === 'link' ? [{ kind: 'link' as const, label: 'Проверить справку (может любой)', href: f.link(`/verify/${p.reference}`) }] : []),
        ],
        sms: `${f.operatorName}: договор по номеру ${f.phone(p.msisdn)} расторгнут (${p.reference}). Итоговый счёт ${f.money(p.amountSettled, p.currency)}, возврат ${f.money(p.amountRefunded, p.currency)}. Подробности: ${link}`,
      };
    },
    'termination.failed': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Расторжение договора по номеру ${f.phone(p.msisdn)} требует вашего участия (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Нам не удалось завершить расторжение договора по номеру ${f.phone(p.msisdn)} (заявка ${p.reference}) ${f.dateTime(p.failedAt)}.` },
          { kind: 'important', text: 'Само по себе больше ничего не произойдёт. Откройте заявку и посмотрите, что нужно сделать, или свяжитесь с нами и назовите номер заявки.' },
          { kind: 'link', label: 'Открыть заявку', href: link },
        ],
        sms: `${f.operatorName}: расторжение договора по номеру ${f.phone(p.msisdn)} (${p.reference}) не завершено и требует вашего участия: ${link}`,
      };
    },
    'termination.withdrawn': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const why = p.notMe === 'yes' ? 'Вы сообщили, что не подавали её; мы это записали, и наши сотрудники разберутся.' : 'Она отозвана, как вы просили.';
      return {
        subject: `Заявка ${p.reference} на расторжение договора по номеру ${f.phone(p.msisdn)} отозвана`,
        blocks: [
          { kind: 'p', text: `${f.dateTime(p.withdrawnAt)} заявка на расторжение договора по номеру ${f.phone(p.msisdn)} отозвана. ${why} Номер остаётся как был.` },
          { kind: 'link', label: 'Посмотреть заявку', href: link },
        ],
        sms: `${f.operatorName}: заявка ${p.reference} на расторжение по номеру ${f.phone(p.msisdn)} отозвана, номер остаётся как был. ${link}`,
      };
    },
    'termination.rejected': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Заявка ${p.reference} на расторжение договора по номеру ${f.phone(p.msisdn)} отклонена`,
        blocks: [
          { kind: 'p', text: `${f.dateTime(p.rejectedAt)} мы отклонили заявку на расторжение договора по номеру ${f.phone(p.msisdn)}. Номер остаётся как был.` },
          { kind: 'p', text: 'Если вы всё же хотите расторгнуть договор, подайте новую заявку или обратитесь к нам, назвав номер заявки.' },
          { kind: 'link', label: 'Посмотреть заявку', href: link },
        ],
        sms: `${f.operatorName}: заявка ${p.reference} на расторжение по номеру ${f.phone(p.msisdn)} отклонена, номер остаётся как был. ${link}`,
      };
    },
    'termination.expired': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const why = p.stateBefore === 'blocked' ? 'То, что нужно было урегулировать, не было урегулировано вовремя.' : 'Она не была подтверждена вовремя.';
      return {
        subject: `Срок заявки ${p.reference} на расторжение договора по номеру ${f.phone(p.msisdn)} истёк`,
        blocks: [
          { kind: 'p', text: `${f.dateTime(p.expiredAt)} истёк срок заявки на расторжение договора по номеру ${f.phone(p.msisdn)}. ${why} Номер остаётся как был.` },
          { kind: 'p', text: 'Если вы всё же хотите расторгнуть договор, подайте новую заявку.' },
          { kind: 'link', label: 'Посмотреть заявку', href: link },
        ],
        sms: `${f.operatorName}: срок заявки ${p.reference} на расторжение по номеру ${f.phone(p.msisdn)} истёк, номер остаётся как был. ${link}`,
      };
    },
    'otp.confirm_termination': otp('Код для подтверждения расторжения договора', (line, reference) => `чтобы подтвердить расторжение договора по номеру ${line} (заявка ${reference})`),
    'otp.password_reset': otp('Код для сброса пароля', (line) => `чтобы сбросить пароль для номера ${line}`),
    'otp.cancel_without_signin': otp('Код для расторжения договора', (line, reference) => `чтобы расторгнуть договор по номеру ${line} без входа в личный кабинет (заявка ${reference})`),
    'otp.sms_cancel': (p, f) => smsCancelCopy(p, f, { subject: 'Код для расторжения договора по SMS', label: 'Ваш код' }),
    'sms.reply': (p, f) => smsReplyCopy(p, f, 'Ответ с короткого номера'),
    'otp.hotline_sign_in': (p, f) => ({
      subject: 'Код для телефонной линии',
      blocks: [
        { kind: 'code', label: 'Ваш код', code: p.code },
        { kind: 'p', text: `Этот код нужен, чтобы войти в нашу телефонную линию по номеру ${f.masked(p.msisdn)}. Он действует до ${f.time(p.expiresAt)}.` },
        { kind: 'important', text: `Вводите его только во время звонка, который вы сами сделали в ${f.operatorName}. Сотрудники ${f.operatorName} никогда не попросят продиктовать код.` },
      ],
      sms: `Код ${p.code} для входа в телефонную линию ${f.operatorName} по номеру ${f.masked(p.msisdn)}. Действует до ${f.time(p.expiresAt)}. Вводите его только во время своего звонка и никому не диктуйте.`,
    }),
    'termination.payment_link': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `Оплатите ${f.money(p.amount, p.currency)}, чтобы расторгнуть договор по номеру ${f.phone(p.msisdn)} (${p.reference})`,
        blocks: [
          { kind: 'p', text: `Заявка ${p.reference} на расторжение договора по номеру ${f.phone(p.msisdn)} продолжится, как только будет оплачена задолженность ${f.money(p.amount, p.currency)}.` },
          { kind: 'link', label: 'Оплатить и посмотреть заявку', href: link },
        ],
        sms: `${f.operatorName}: чтобы расторгнуть договор по номеру ${f.phone(p.msisdn)} (${p.reference}), оплатите ${f.money(p.amount, p.currency)}: ${link}`,
      };
    },
    'quarantine.ending_soon': (p, f) => {
      const link = f.link('/reclaim');
      return {
        subject: `Последние дни, чтобы вернуть номер ${f.phone(p.msisdn)}`,
        blocks: [
          { kind: 'p', text: `Номер ${f.phone(p.msisdn)}, договор по которому расторгнут, сохраняется за вами до ${dot(f.day(p.quarantineUntil))} После этого его могут передать другому абоненту.` },
          { kind: 'p', text: 'Чтобы сохранить номер, верните его до этой даты — с документом, удостоверяющим личность, в салоне связи или с подтверждением личности онлайн.' },
          { kind: 'link', label: 'Вернуть номер', href: link },
        ],
        sms: `${f.operatorName}: номер ${f.phone(p.msisdn)} сохраняется за вами до ${f.day(p.quarantineUntil)}, затем его могут передать другому. Вернуть: ${link}`,
      };
    },
    'reclaim.completed': (p, f) => ({
      subject: `Номер ${f.phone(p.msisdn)} снова ваш`,
      blocks: [
        { kind: 'p', text: `${f.dateTime(p.reclaimedAt)} номер ${f.phone(p.msisdn)} снова подключён к вашему лицевому счёту ${onNewSim(p.simType)}.` },
        { kind: 'important', text: 'Если это сделали не вы, немедленно свяжитесь с нами.' },
        { kind: 'link', label: 'Личный кабинет', href: f.link('/') },
      ],
      sms: `${f.operatorName}: номер ${f.phone(p.msisdn)} снова ваш, ${onNewSim(p.simType)}. Это не вы? Немедленно свяжитесь с нами.`,
    }),
    'esim.slot_free': (p, f) => ({
      subject: `eSIM номера ${f.phone(p.msisdn)} удалена с устройства`,
      blocks: [
        { kind: 'p', text: `${f.dateTime(p.removedAt)} ваше устройство удалило eSIM отключённого номера ${f.phone(p.msisdn)}. Место на устройстве свободно для другой eSIM.` },
        { kind: 'link', label: 'Личный кабинет', href: f.link('/') },
      ],
      sms: `${f.operatorName}: eSIM отключённого номера ${f.phone(p.msisdn)} удалена с устройства, место свободно для другой eSIM.`,
    }),
    'esim.activation': (p, f) => ({
      subject: `Установите eSIM номера ${f.phone(p.msisdn)}`,
      blocks: [
        { kind: 'p', text: `Новая eSIM номера ${f.phone(p.msisdn)} готова. В настройках телефона откройте раздел мобильной связи или SIM-карт, выберите «Добавить eSIM» и отсканируйте QR-код из вложения к этому письму или введите код активации ниже вручную.` },
        { kind: 'code', label: 'Код активации', code: p.activationCode },
        { kind: 'important', text: 'Код устанавливает eSIM один раз и на одно устройство. Никому его не сообщайте.' },
        { kind: 'link', label: 'Личный кабинет', href: f.link('/') },
      ],
      sms: `${f.operatorName}: eSIM номера ${f.phone(p.msisdn)} готова, QR-код для установки — в письме и в личном кабинете.`,
    }),
    'shop.turn_near': (p, f) => ({
      subject: `Талон ${p.number} в салоне ${p.shopName}: перед вами ${p.ahead}`,
      blocks: [
        { kind: 'p', text: `Перед талоном ${p.number} в салоне ${p.shopName} осталось человек: ${p.ahead}. Приходите и отметьтесь в терминале.` },
      ],
      sms: `${f.operatorName}: перед талоном ${p.number} (${p.shopName}) осталось человек: ${p.ahead}. Приходите и отметьтесь в терминале.`,
    }),
    'shop.ticket_taken': (p, f) => ({
      subject: `Ваш талон ${p.number} в салоне ${p.shopName}`,
      blocks: [{ kind: 'p', text: `Ваш талон ${p.number} в салоне ${p.shopName}, перед вами сейчас: ${p.ahead}. Когда останется трое, пришлём SMS: приходите и отметьтесь в терминале с этим номером.` }],
      sms: `${f.operatorName}: талон ${p.number} (${p.shopName}), перед вами: ${p.ahead}. Когда останется трое, напишем: приходите и отметьтесь в терминале с номером ${p.number}.`,
    }),
    'shop.ticket_shops': (p, f) => ({
      subject: 'В какой салон?',
      blocks: [{ kind: 'p', text: `Чтобы взять талон, отправьте ТАЛОН и номер салона:\n${p.shops}` }],
      sms: `${f.operatorName}: чтобы взять талон, отправьте ТАЛОН и номер салона, например ТАЛОН 1.\n${p.shops}`,
    }),
    'shop.ticket_lapsed': (p, f) => ({
      subject: `Талон ${p.number} в салоне ${p.shopName} аннулирован`,
      blocks: [{ kind: 'p', text: `Салон ${p.shopName} закрылся до того, как вас обслужили по талону ${p.number}, поэтому талон аннулирован. Возьмите новый талон, когда салон откроется.` }],
      sms: `${f.operatorName}: салон ${p.shopName} закрылся, талон ${p.number} аннулирован. Возьмите новый, когда салон откроется.`,
    }),
    'dormancy.notice': (p, f) => ({
      subject: `Договор по номеру ${f.phone(p.msisdn)} будет расторгнут ${f.day(p.terminationAt)}: номер не используется`,
      blocks: [
        { kind: 'p', text: `С ${f.day(p.lastActivityAt)} по номеру ${f.phone(p.msisdn)} не было платных действий. Если номер не начнут использовать, договор будет расторгнут ${dot(f.day(p.terminationAt))}` },
        { kind: 'p', text: 'Чтобы сохранить номер, до этой даты позвоните, отправьте SMS, воспользуйтесь мобильным интернетом или пополните счёт.' },
        { kind: 'link', label: 'Личный кабинет', href: f.link('/') },
      ],
      sms: `${f.operatorName}: номер ${f.phone(p.msisdn)} не используется с ${f.day(p.lastActivityAt)}, договор будет расторгнут ${f.day(p.terminationAt)}. Чтобы сохранить номер, воспользуйтесь им или пополните счёт.`,
    }),
  },
};
