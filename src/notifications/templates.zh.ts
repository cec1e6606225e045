import { channelName } from '../domain/channel-names.ts';
import { type RequestFactLabels, requestFacts, undoOf } from './request-facts.ts';
import { smsCancelCopy, smsReplyCopy } from './sms-replies.ts';
import type { Formatter } from './format.ts';
import type { Block, LanguagePack, Payloads } from './templates.ts';

const SIM = { sim: 'SIM 卡', esim: 'eSIM' } as const;
const simName = (t: string) => SIM[t as keyof typeof SIM] ?? t;

const factLabels: RequestFactLabels = { reference: '申请编号', line: '号码', takesEffect: '生效时间', lapsesAt: '未确认则失效于', withdrawUntil: '可撤回截止' };

const neverAsks = (op: string) => `${op} 绝不会通过电话、即时通讯软件或电子邮件索要此验证码。请勿告诉任何人，包括自称我们员工的人。`;

const otp =
  (subject: string, action: (line: string, about: string) => string): LanguagePack['templates']['otp.password_reset'] =>
  (p, f) => ({
    subject,
    blocks: [
      { kind: 'code', label: '您的验证码', code: p.code },
      { kind: 'p', text: `此验证码用于${action(f.masked(p.msisdn), p.subject)}，${f.time(p.expiresAt)}前有效。` },
      { kind: 'important', text: neverAsks(f.operatorName) },
      { kind: 'p', text: '如果您没有申请验证码，请忽略本消息：没有验证码，任何操作都不会执行。' },
    ],
    sms: `验证码 ${p.code}，用于${action(f.masked(p.msisdn), p.subject)}，${f.time(p.expiresAt)}前有效。${f.operatorName} 绝不会通过电话或即时通讯软件索要此验证码，请勿告诉任何人。`,
  });

/** 注销证明在哪里：附件、申请页面（运营商批量指令，按策略），或没有附件时的页面。 */
const certificateBlocks = (p: Payloads['termination.completed'], f: Formatter): Block[] => {
  const verify = f.link(`/verify/${p.reference}`);
  if (p.certificate === 'attached') return [{ kind: 'p', text: `已签名的注销证明随本邮件附上：${p.reference}.pdf。任何人都可以在 ${verify} 核验。` }];
  if (p.certificate === 'link') return [{ kind: 'p', text: `已签名的注销证明（PDF）在您的申请页面：登录 ${f.siteUrl} 后打开下方链接即可下载。任何人都可以在 ${verify} 核验。` }];
  return [{ kind: 'p', text: '注销证明见下方链接。' }];
};

export const zh: LanguagePack = {
  footer: (f) => `${f.operatorName} · ${f.siteUrl} · 本消息由系统自动发送，回复不会被阅读。`,
  templates: {
    'termination.requested': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const state =
        p.state === 'awaiting_confirmation'
          ? '申请须经确认后才会生效。'
          : p.state === 'scheduled'
            ? `申请已确认，将于 ${f.dateTime(p.effectiveAt)} 生效。`
            : p.state === 'blocked'
              ? '申请执行前需先处理一些事项，详情请见下方链接。'
              : '我们正在审核。';
      const undo = undoOf(p);
      const notYou =
        undo.way === 'withdraw'
          ? `不是您本人提交的？请在 ${f.dateTime(undo.until)} 之前通过下方链接撤回，您的号码将保持不变。`
          : undo.way === 'lapse'
            ? `不是您本人提交的？请勿将发送到本号码的验证码告诉任何人：没有验证码，申请将于 ${f.dateTime(undo.at)} 失效，您的号码将保持不变。`
            : '不是您本人提交的？没有您的参与，该申请无法执行。请到营业厅或致电告知我们，我们将予以拒绝。';
      const notYouSms =
        undo.way === 'withdraw'
          ? `非本人操作？请在 ${f.dateTime(undo.until)} 前撤回`
          : undo.way === 'lapse'
            ? `非本人操作？请勿告诉任何人验证码，没有验证码申请将于 ${f.dateTime(undo.at)} 失效`
            : '非本人操作？没有您的参与该申请无法执行，请告知我们，我们将予以拒绝';
      return {
        subject: `已收到号码 ${f.phone(p.msisdn)} 的销号申请（${p.reference}）`,
        blocks: [
          { kind: 'p', text: `我们已收到注销号码 ${f.phone(p.msisdn)} 的申请。${state}` },
          requestFacts(p, f, factLabels),
          { kind: 'important', text: notYou },
          { kind: 'link', label: undo.way === 'withdraw' ? '查看或撤回申请' : '查看申请', href: link },
        ],
        sms: `${f.operatorName}：已收到号码 ${f.phone(p.msisdn)} 的销号申请 ${p.reference}，将于 ${f.dateTime(p.effectiveAt)} 生效。${notYouSms}：${link}`,
      };
    },
    'termination.scheduled': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `号码 ${f.phone(p.msisdn)} 将于 ${f.day(p.effectiveAt)} 注销（${p.reference}）`,
        blocks: [
          { kind: 'p', text: `您注销号码 ${f.phone(p.msisdn)} 的申请已确认，将于 ${f.dateTime(p.effectiveAt)} 生效。` },
          requestFacts(p, f, factLabels),
          { kind: 'important', text: `改变主意了，或并非本人操作？请在 ${f.dateTime(p.withdrawUntil)} 之前通过下方链接撤回申请。` },
          { kind: 'link', label: '查看或撤回申请', href: link },
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 将于 ${f.dateTime(p.effectiveAt)} 注销（${p.reference}）。在此之前可撤回：${link}`,
      };
    },
    'termination.completed': (p, f, policy) => {
      const link = f.link(`/terminations/${p.reference}`);
      const rows: [string, string][] = [
        ['申请编号', p.reference],
        ['号码', f.phone(p.msisdn)],
        ['SIM', simName(p.simType)],
        ['申请渠道', channelName('zh', p.channel)],
        ['申请时间', f.dateTime(p.requestedAt)],
        ['生效时间', f.dateTime(p.effectiveAt)],
        ['完成时间', f.dateTime(p.completedAt)],
        ['最终账单', f.money(p.amountSettled, p.currency)],
        ['退还金额', f.money(p.amountRefunded, p.currency)],
      ];
      if (p.quarantineUntil) rows.push(['号码为您保留至', f.day(p.quarantineUntil)]);
      const reclaim = p.quarantineUntil && policy.quarantine.reclaimAllowed;
      return {
        subject: `号码 ${f.phone(p.msisdn)} 已注销（${p.reference}）`,
        blocks: [
          { kind: 'p', text: `号码 ${f.phone(p.msisdn)} 的合同已终止。请保留本邮件作为凭证。` },
          ...certificateBlocks(p, f),
          { kind: 'facts', rows },
          {
            kind: 'p',
            text:
              p.simType === 'esim'
                ? 'eSIM 已停止服务。请在设备上删除该配置文件：设置 → 蜂窝网络（或移动网络）→ eSIM → 删除。'
                : 'SIM 卡已停止服务，您可以将其剪毁。',
          },
          { kind: 'p', text: '请将使用此号码接收验证码的银行、即时通讯软件等服务改绑到您的新号码。' },
          ...(reclaim && p.quarantineUntil ? [{ kind: 'p' as const, text: `改变主意了？您可以在 ${f.day(p.quarantineUntil)} 之前取回此号码。` }] : []),
          { kind: 'link', label: p.certificate === 'link' ? '详情和注销证明（下载 PDF）' : '详情和注销证明', href: link },
          ...(p.certificate === 'link' ? [{ kind: 'link' as const, label: '核验注销证明（任何人均可）', href: f.link(`/verify/${p.reference}`) }] : []),
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 已注销（${p.reference}）。最终账单 ${f.money(p.amountSettled, p.currency)}，退款 ${f.money(p.amountRefunded, p.currency)}。详情：${link}`,
      };
    },
    'termination.failed': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `号码 ${f.phone(p.msisdn)} 的注销需要您处理（${p.reference}）`,
        blocks: [
          { kind: 'p', text: `我们未能在 ${f.dateTime(p.failedAt)} 完成号码 ${f.phone(p.msisdn)} 的注销（申请 ${p.reference}）。` },
          { kind: 'important', text: '此申请不会自动继续。请打开申请查看需要做什么，或联系我们并提供申请编号。' },
          { kind: 'link', label: '打开申请', href: link },
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 的注销（${p.reference}）未能完成，需要您处理：${link}`,
      };
    },
    'termination.withdrawn': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const why = p.notMe === 'yes' ? '您告诉我们这不是您提交的申请；我们已记录在案，工作人员将进行核查。' : '已按您的要求撤回。';
      return {
        subject: `号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 已撤回`,
        blocks: [
          { kind: 'p', text: `${f.dateTime(p.withdrawnAt)}，号码 ${f.phone(p.msisdn)} 的注销申请已撤回。${why}您的号码保持不变。` },
          { kind: 'link', label: '查看此申请', href: link },
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 已撤回，号码保持不变。${link}`,
      };
    },
    'termination.rejected': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 已被拒绝`,
        blocks: [
          { kind: 'p', text: `${f.dateTime(p.rejectedAt)}，我们拒绝了号码 ${f.phone(p.msisdn)} 的注销申请。您的号码保持不变。` },
          { kind: 'p', text: '如果您仍想注销，请重新提交申请，或联系我们并提供申请编号。' },
          { kind: 'link', label: '查看此申请', href: link },
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 已被拒绝，号码保持不变。${link}`,
      };
    },
    'termination.expired': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      const why = p.stateBefore === 'blocked' ? '需要先处理的事项未能按时处理。' : '申请未能按时确认。';
      return {
        subject: `号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 已失效`,
        blocks: [
          { kind: 'p', text: `${f.dateTime(p.expiredAt)}，号码 ${f.phone(p.msisdn)} 的注销申请已失效。${why}您的号码保持不变。` },
          { kind: 'p', text: '如果您仍想注销，请重新提交申请。' },
          { kind: 'link', label: '查看此申请', href: link },
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 已失效，号码保持不变。${link}`,
      };
    },
    'otp.confirm_termination': otp('确认注销号码的验证码', (line, reference) => `确认注销号码 ${line}（申请 ${reference}）`),
    'otp.password_reset': otp('重置密码的验证码', (line) => `重置号码 ${line} 的密码`),
    'otp.cancel_without_signin': otp('注销号码的验证码', (line, reference) => `在不登录的情况下注销号码 ${line}（申请 ${reference}）`),
    'otp.sms_cancel': (p, f) => smsCancelCopy(p, f, { subject: '短信注销合同的验证码', label: '您的验证码' }),
    'sms.reply': (p, f) => smsReplyCopy(p, f, '短号码回复'),
    'otp.hotline_sign_in': (p, f) => ({
      subject: '电话客服热线验证码',
      blocks: [
        { kind: 'code', label: '您的验证码', code: p.code },
        { kind: 'p', text: `此验证码用于号码 ${f.masked(p.msisdn)} 登录我们的电话热线，有效期至 ${f.time(p.expiresAt)}。` },
        { kind: 'important', text: `请只在您本人拨打${f.operatorName}的电话中输入。${f.operatorName}的工作人员绝不会要求您读出验证码。` },
      ],
      sms: `验证码 ${p.code}，用于号码 ${f.masked(p.msisdn)} 登录${f.operatorName}电话热线，有效期至 ${f.time(p.expiresAt)}。请只在您本人拨打的电话中输入，切勿告诉任何人。`,
    }),
    'termination.payment_link': (p, f) => {
      const link = f.link(`/terminations/${p.reference}`);
      return {
        subject: `支付 ${f.money(p.amount, p.currency)} 后即可注销号码 ${f.phone(p.msisdn)}（${p.reference}）`,
        blocks: [
          { kind: 'p', text: `付清账户欠费 ${f.money(p.amount, p.currency)} 后，号码 ${f.phone(p.msisdn)} 的注销申请 ${p.reference} 将继续办理。` },
          { kind: 'link', label: '付款并查看申请', href: link },
        ],
        sms: `${f.operatorName}：注销号码 ${f.phone(p.msisdn)}（${p.reference}）需先支付 ${f.money(p.amount, p.currency)}：${link}`,
      };
    },
    'quarantine.ending_soon': (p, f) => {
      const link = f.link('/reclaim');
      return {
        subject: `取回号码 ${f.phone(p.msisdn)} 的最后期限即将到来`,
        blocks: [
          { kind: 'p', text: `已注销的号码 ${f.phone(p.msisdn)} 为您保留至 ${f.day(p.quarantineUntil)}，此后可能会分配给他人。` },
          { kind: 'p', text: '如需保留，请在此日期前取回：携带身份证件到营业厅，或在线验证身份。' },
          { kind: 'link', label: '取回号码', href: link },
        ],
        sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 为您保留至 ${f.day(p.quarantineUntil)}，此后可能分配给他人。取回：${link}`,
      };
    },
    'reclaim.completed': (p, f) => ({
      subject: `号码 ${f.phone(p.msisdn)} 已重新归您所有`,
      blocks: [
        { kind: 'p', text: `${f.dateTime(p.reclaimedAt)}，号码 ${f.phone(p.msisdn)} 已通过新的 ${simName(p.simType)} 重新开通到您的账户。` },
        { kind: 'important', text: '如果这不是您本人的操作，请立即联系我们。' },
        { kind: 'link', label: '我的账户', href: f.link('/') },
      ],
      sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 已通过新的 ${simName(p.simType)} 重新归您所有。非本人操作？请立即联系我们。`,
    }),
    'esim.slot_free': (p, f) => ({
      subject: `号码 ${f.phone(p.msisdn)} 的 eSIM 已从您的设备移除`,
      blocks: [
        { kind: 'p', text: `${f.dateTime(p.removedAt)}，您的设备已移除已注销号码 ${f.phone(p.msisdn)} 的 eSIM。设备上的位置可用于其他 eSIM。` },
        { kind: 'link', label: '我的账户', href: f.link('/') },
      ],
      sms: `${f.operatorName}：已注销号码 ${f.phone(p.msisdn)} 的 eSIM 已从您的设备移除，位置可用于其他 eSIM。`,
    }),
    'esim.activation': (p, f) => ({
      subject: `安装号码 ${f.phone(p.msisdn)} 的 eSIM`,
      blocks: [
        { kind: 'p', text: `号码 ${f.phone(p.msisdn)} 的新 eSIM 已准备就绪。请在手机设置中打开移动网络或 SIM 卡，选择添加 eSIM，扫描本邮件附件中的二维码，或手动输入下面的激活码。` },
        { kind: 'code', label: '激活码', code: p.activationCode },
        { kind: 'important', text: '此激活码只能在一台设备上安装一次 eSIM。请勿告诉他人。' },
        { kind: 'link', label: '我的账户', href: f.link('/') },
      ],
      sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 的 eSIM 已就绪，安装用的二维码在您的邮件和账户中。`,
    }),
    'shop.turn_near': (p, f) => ({
      subject: `您在${p.shopName}的号码 ${p.number}：前面还有 ${p.ahead} 人`,
      blocks: [
        { kind: 'p', text: `您在${p.shopName}的号码 ${p.number} 前面还有 ${p.ahead} 人。请现在前来并在取号机签到。` },
      ],
      sms: `${f.operatorName}：您在${p.shopName}的号码 ${p.number} 前面还有 ${p.ahead} 人，请现在前来并在取号机签到。`,
    }),
    'shop.ticket_taken': (p, f) => ({
      subject: `您在${p.shopName}的号码 ${p.number}`,
      blocks: [{ kind: 'p', text: `您在${p.shopName}的号码是 ${p.number}，前面现有 ${p.ahead} 人。前面剩 3 人时我们会发短信通知您，届时请前来并凭此号码在取号机签到。` }],
      sms: `${f.operatorName}：您在${p.shopName}的号码 ${p.number}，前面现有 ${p.ahead} 人。剩 3 人时我们会通知您，请届时前来凭 ${p.number} 在取号机签到。`,
    }),
    'shop.ticket_shops': (p, f) => ({
      subject: '请选择营业厅',
      blocks: [{ kind: 'p', text: `取号请发送“取号”加营业厅编号：\n${p.shops}` }],
      sms: `${f.operatorName}：取号请发送“取号”加营业厅编号，例如“取号1”。\n${p.shops}`,
    }),
    'shop.ticket_lapsed': (p, f) => ({
      subject: `您在${p.shopName}的号码 ${p.number} 已失效`,
      blocks: [{ kind: 'p', text: `${p.shopName}在为号码 ${p.number} 办理前已停止营业，该号码已失效。请在营业时间重新取号。` }],
      sms: `${f.operatorName}：${p.shopName}已停止营业，您的号码 ${p.number} 已失效。请在营业时间重新取号。`,
    }),
    'dormancy.notice': (p, f) => ({
      subject: `号码 ${f.phone(p.msisdn)} 因长期未使用将于 ${f.day(p.terminationAt)} 注销`,
      blocks: [
        { kind: 'p', text: `自 ${f.day(p.lastActivityAt)} 起，号码 ${f.phone(p.msisdn)} 没有任何付费使用记录。如继续不使用，将于 ${f.day(p.terminationAt)} 注销。` },
        { kind: 'p', text: '如需保留，请在此日期前拨打电话、发送短信、使用移动数据或充值。' },
        { kind: 'link', label: '我的账户', href: f.link('/') },
      ],
      sms: `${f.operatorName}：号码 ${f.phone(p.msisdn)} 自 ${f.day(p.lastActivityAt)} 起未使用，将于 ${f.day(p.terminationAt)} 注销。如需保留，请使用或充值。`,
    }),
  },
};
