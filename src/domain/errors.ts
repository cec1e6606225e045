/**
 * The error catalogue: every failure a caller can see has a stable code, an
 * HTTP status (used by the API in one place) and a message per language.
 * Messages may use `{name}` placeholders filled from the error's details.
 */
import { type Language, readableInstant, waitInWords } from './languages.ts';

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
  INVALID_CHANNEL: entry(400, 'Unknown channel: {input} (valid: {valid})', 'Неизвестный канал: {input} (допустимые: {valid})', '未知渠道：{input}（可用：{valid}）'),
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
  PAYMENT_OVER_DEBT: entry(
    400,
    'The amount {input} is more than this account owes ({owed})',
    'Сумма {input} больше задолженности по счёту ({owed})',
    '金额 {input} 超过该账户的欠款（{owed}）',
  ),
  PAYMENTS_NOT_CONFIGURED: entry(
    409,
    'Payments are not available: the operator has not configured a payment provider',
    'Оплата недоступна: оператор не подключил платёжного провайдера',
    '暂无法付款：运营商尚未配置支付服务商',
  ),
  PAYMENT_PROVIDER_FAILED: entry(
    502,
    'The payment provider did not accept the payment: try again later',
    'Платёжный провайдер не принял платёж: повторите позже',
    '支付服务商未受理此付款：请稍后重试',
  ),
  PAYMENT_CALLBACK_INVALID: entry(
    400,
    'The payment notification is not valid: {reason}',
    'Уведомление о платеже недействительно: {reason}',
    '付款通知无效：{reason}',
  ),
  PAYMENT_NOT_FOUND: entry(404, 'No payment found for {input}', 'Платёж {input} не найден', '未找到付款 {input}'),
  SMS_SIGNATURE_MISSING: entry(
    401,
    'The inbound SMS is not signed: the X-Simexit-Signature header is required',
    'Входящее SMS не подписано: нужен заголовок X-Simexit-Signature',
    '入站短信未签名：需要 X-Simexit-Signature 请求头',
  ),
  SMS_SIGNATURE_INVALID: entry(
    403,
    'The signature of the inbound SMS does not match',
    'Подпись входящего SMS не совпадает',
    '入站短信的签名不匹配',
  ),
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
  NUMBER_LIMIT_REACHED: entry(
    409,
    'Numbers per person at most: {limit}; you hold {held}. Cancel one of your lines before taking this number back',
    'Номеров на одного человека не больше: {limit}; у вас сейчас: {held}. Чтобы вернуть этот номер, сначала закройте одну из линий',
    '每人号码上限：{limit} 个，您目前持有 {held} 个。请先注销一条线路，再找回此号码',
  ),
  NO_STOCK: entry(503, 'No {kind} is in stock', 'Нет в наличии: {kind}', '{kind} 无库存'),
  // The SM-DP+ (ES2+) as a termination step sees it: kept as the step's error, shown to staff, never to subscribers.
  ESIM_PROFILE_NOT_FOUND: entry(
    502,
    'The SM-DP+ does not know the eSIM profile {iccid} ({subjectCode}/{reasonCode})',
    'SM-DP+ не знает профиль eSIM {iccid} ({subjectCode}/{reasonCode})',
    'SM-DP+ 不认识 eSIM 配置文件 {iccid}（{subjectCode}/{reasonCode}）',
  ),
  ESIM_ORDER_REFUSED: entry(
    502,
    'The SM-DP+ refused to cancel the eSIM profile {iccid} ({subjectCode}/{reasonCode})',
    'SM-DP+ отказался отменить профиль eSIM {iccid} ({subjectCode}/{reasonCode})',
    'SM-DP+ 拒绝取消 eSIM 配置文件 {iccid}（{subjectCode}/{reasonCode}）',
  ),
  ESIM_SMDP_FAILED: entry(
    502,
    'The SM-DP+ could not cancel the eSIM profile {iccid} this time ({subjectCode}/{reasonCode})',
    'SM-DP+ не смог отменить профиль eSIM {iccid} в этот раз ({subjectCode}/{reasonCode})',
    'SM-DP+ 本次未能取消 eSIM 配置文件 {iccid}（{subjectCode}/{reasonCode}）',
  ),
  ESIM_FUNCTION_EXPIRED: entry(
    504,
    'The SM-DP+ let the request for the eSIM profile {iccid} expire before carrying it out',
    'SM-DP+ не выполнил запрос по профилю eSIM {iccid} до истечения его срока',
    'SM-DP+ 未在有效期内执行 eSIM 配置文件 {iccid} 的请求',
  ),
  ESIM_SMDP_UNAVAILABLE: entry(
    503,
    'The SM-DP+ could not be reached: {reason}',
    'SM-DP+ недоступен: {reason}',
    '无法连接 SM-DP+：{reason}',
  ),
  CONFIG_INVALID: entry(500, 'Configuration is not valid: {reason}', 'Ошибка конфигурации: {reason}', '配置无效：{reason}'),
  SCHEMA_NOT_CURRENT: entry(
    503,
    'The database schema is not current ({pending} migrations not applied): run `simexit migrate` first',
    'Схема базы данных устарела (не применено миграций: {pending}): сначала выполните `simexit migrate`',
    '数据库结构不是最新的（{pending} 个迁移未应用）：请先运行 `simexit migrate`',
  ),
  CSV_INVALID: entry(
    400,
    'Line {row} of the CSV file is not valid: {reason}',
    'Строка {row} CSV-файла неверна: {reason}',
    'CSV 文件第 {row} 行无效：{reason}',
  ),
  AUTH_REQUIRED: entry(401, 'Please sign in first', 'Сначала войдите в личный кабинет', '请先登录'),
  AUTH_FAILED: entry(401, 'Wrong phone number or password', 'Неверный номер телефона или пароль', '电话号码或密码错误'),
  AUTH_LOCKED: entry(
    429,
    'Too many failed attempts. Try again in {retryIn}',
    'Слишком много неудачных попыток. Повторите через {retryIn}',
    '失败次数过多。请在{retryIn}后重试',
  ),
  OIDC_NOT_CONFIGURED: entry(404, 'Sign-in through an external service is not offered here', 'Вход через внешний сервис здесь недоступен', '此处不提供通过外部服务登录'),
  OIDC_NOT_LINKED: entry(
    403,
    'The identity service confirmed who you are, but we found no single customer with that verified phone number or document. Sign in with your number and password, or visit a shop',
    'Сервис подтвердил вашу личность, но мы не нашли одного клиента с таким подтверждённым номером телефона или документом. Войдите по номеру и паролю или обратитесь в салон',
    '身份服务已确认您的身份，但我们未找到拥有该已验证电话号码或证件的唯一客户。请使用号码和密码登录，或前往营业厅',
  ),
  OIDC_EXPIRED: entry(
    400,
    'The sign-in through the identity service took too long or was started in another browser. Please start again',
    'Вход через сервис занял слишком много времени или был начат в другом браузере. Начните заново',
    '通过身份服务登录超时或在其他浏览器中发起。请重新开始',
  ),
  OIDC_REFUSED: entry(
    400,
    'The identity service\'s answer could not be accepted (it was refused, altered or already used). Please start again',
    'Ответ сервиса не может быть принят (отказ, изменён или уже использован). Начните заново',
    '无法接受身份服务的答复（被拒绝、被篡改或已被使用）。请重新开始',
  ),
  FORBIDDEN: entry(403, 'You may not do this', 'У вас нет прав на это действие', '您无权执行此操作'),
  NO_OPEN_CASE: entry(
    403,
    'Open a case for this customer first: identify them by their number or document in your shop, or for the call you hold',
    'Сначала откройте обращение клиента: установите его по номеру или документу в вашем салоне или по звонку, который вы ведёте',
    '请先为该客户开立服务单：在您的门店按号码或证件识别客户，或针对您正在处理的来电',
  ),
  DOCUMENT_NOT_CHECKED: entry(
    403,
    "Check the customer's identity document: open the case with the document's number",
    'Проверьте документ клиента: откройте обращение по номеру документа',
    '请核验客户证件：使用证件号码开立服务单',
  ),
  CALL_ID_REQUIRED: entry(400, 'Give the id of the call you are on', 'Укажите идентификатор звонка, который вы ведёте', '请提供您正在处理的来电编号'),
  CALL_AGENT_ONLY: entry(403, 'The call-centre console is for call agents', 'Пульт колл-центра — только для операторов колл-центра', '呼叫中心控制台仅供呼叫中心坐席使用'),
  CALL_NOT_FOUND: entry(404, 'No call or callback {input} in the queue', 'Звонка или обратного звонка {input} нет в очереди', '队列中没有来电或回拨请求 {input}'),
  CALL_NOT_WAITING: entry(
    409,
    'This call is no longer waiting: another agent took it or the caller hung up',
    'Этот звонок уже не ждёт: его принял другой оператор или абонент положил трубку',
    '该来电已不在等待：已被其他坐席接听，或来电者已挂断',
  ),
  CALL_NOT_HELD: entry(
    403,
    'You do not hold this call: take it from the queue first',
    'Этот звонок не у вас: сначала примите его из очереди',
    '您未接听此来电：请先从队列中接听',
  ),
  CALL_CALLER_UNKNOWN: entry(
    409,
    'The caller was not identified as one of our customers, so no line can be changed on this call',
    'Абонент не опознан как наш клиент, поэтому в этом звонке нельзя ничего менять по линиям',
    '来电者未被识别为本公司客户，因此本次通话中不能对任何线路进行操作',
  ),
  CHECKLIST_INCOMPLETE: entry(
    400,
    'Tick every item of the checklist before cancelling ({missingCount} not ticked)',
    'Перед отключением отметьте все пункты проверки (не отмечено: {missingCount})',
    '注销前请勾选核对清单的全部项目（未勾选：{missingCount} 项）',
  ),
  CALL_NOTHING_CANCELLED: entry(
    409,
    'No line was cancelled on this call: choose another outcome',
    'В этом звонке ни одна линия не отключалась: выберите другой итог',
    '本次通话中没有注销任何线路：请选择其他结果',
  ),
  TICKET_INVALID_TRANSITION: entry(
    409,
    'Ticket {number} cannot be moved that way now: someone may have acted on it first, reload the queue',
    'С талоном {number} сейчас нельзя так поступить: возможно, его уже обработали, обновите очередь',
    '号码 {number} 当前不能执行此操作：可能已被他人处理，请刷新队列',
  ),
  TICKET_NOT_ARRIVED: entry(
    409,
    'Ticket {number} was taken remotely and its holder has not checked in at the shop yet',
    'Талон {number} взят удалённо, и его владелец ещё не отметился в салоне',
    '号码 {number} 为远程取号，持有人尚未到店签到',
  ),
  CSRF_FAILED: entry(403, 'The page is out of date: reload it and try again', 'Страница устарела: обновите её и повторите', '页面已过期：请刷新后重试'),
  OTP_INVALID: entry(
    400,
    'Wrong code. Attempts left: {attemptsLeft}',
    'Неверный код. Осталось попыток: {attemptsLeft}',
    '验证码错误。剩余次数：{attemptsLeft}',
  ),
  OTP_EXPIRED: entry(400, 'The code has expired: ask for a new one', 'Срок действия кода истёк: запросите новый', '验证码已过期：请重新获取'),
  OTP_LOCKED: entry(
    429,
    'Too many wrong codes. Try again in {retryIn}',
    'Слишком много неверных кодов. Повторите через {retryIn}',
    '错误验证码次数过多。请在{retryIn}后重试',
  ),
  TOO_MANY_CODES: entry(
    429,
    'Too many codes were asked for. Try again in {retryIn}',
    'Запрошено слишком много кодов. Повторите через {retryIn}',
    '请求验证码次数过多。请在{retryIn}后重试',
  ),
  IDEMPOTENCY_KEY_REQUIRED: entry(
    400,
    'This request needs an Idempotency-Key header',
    'Для этого запроса нужен заголовок Idempotency-Key',
    '此请求需要 Idempotency-Key 请求头',
  ),
  IDEMPOTENCY_KEY_REUSED: entry(
    422,
    'This Idempotency-Key was already used for a different request',
    'Этот Idempotency-Key уже использован для другого запроса',
    '此 Idempotency-Key 已用于其他请求',
  ),
  IDENTITY_MISMATCH: entry(
    400,
    'The document does not match our records',
    'Документ не совпадает с нашими данными',
    '证件与我们的记录不符',
  ),
  NOT_FOUND: entry(404, 'Nothing here: {input}', 'Здесь ничего нет: {input}', '此处无内容：{input}'),
  CLOCK_DEMO_ONLY: entry(403, 'The clock can be moved only in demo mode', 'Часы можно переводить только в демо-режиме', '只有在演示模式下才能调整时钟'),
  MALFORMED_JSON: entry(400, 'The body is not valid JSON', 'Тело запроса не является корректным JSON', '请求体不是有效的 JSON'),
  JSON_TOO_DEEP: entry(400, 'The body is nested more than {max} levels deep', 'Тело запроса вложено глубже {max} уровней', '请求体嵌套超过 {max} 层'),
  PAYLOAD_TOO_LARGE: entry(413, 'The request is too large', 'Слишком большой запрос', '请求过大'),
  UNSUPPORTED_MEDIA_TYPE: entry(415, 'Unsupported content type: {input}', 'Неподдерживаемый тип содержимого: {input}', '不支持的内容类型：{input}'),
  METHOD_NOT_ALLOWED: entry(405, 'Method not allowed', 'Метод не поддерживается', '不允许的方法'),
  INTERNAL: entry(500, 'Something went wrong on our side. Reference: {requestId}', 'Ошибка на нашей стороне. Номер обращения: {requestId}', '我们这边出现了问题。参考编号：{requestId}'),
  AUDIT_CHAIN_BROKEN: entry(
    500,
    'The audit log was changed at entry {seq}',
    'Журнал аудита изменён в записи {seq}',
    '审计日志在第 {seq} 条被篡改',
  ),
  SHOP_NOT_FOUND: entry(404, 'No shop {input}', 'Салон {input} не найден', '未找到营业厅 {input}'),
  SHOP_FORBIDDEN: entry(403, 'This belongs to another shop: agents act only in their own shop', 'Это другой салон: сотрудник работает только в своём салоне', '这属于其他营业厅：店员只能在本营业厅操作'),
  SHOP_AGENT_ONLY: entry(403, 'The counter console is for shop agents', 'Пульт салона — только для сотрудников салона', '柜台控制台仅供营业厅店员使用'),
  SHOP_SERVICE_NOT_FOUND: entry(404, 'The shop has no service {input}', 'В салоне нет услуги {input}', '营业厅没有服务 {input}'),
  SHOP_COUNTER_NOT_FOUND: entry(404, 'The shop has no counter {input}', 'В салоне нет окна {input}', '营业厅没有窗口 {input}'),
  TICKET_NOT_FOUND: entry(404, 'No ticket {input} in this shop', 'Талона {input} в этом салоне нет', '本营业厅没有号码 {input}'),
  TICKET_NO_CUSTOMER: entry(409, 'Find the customer of ticket {number} first', 'Сначала найдите клиента по талону {number}', '请先查找号码 {number} 的客户'),
  TICKET_CHECK_IN_REFUSED: entry(
    404,
    'No ticket waiting for a check-in matches that number and those digits: check the SMS and try again',
    'Нет талона, ожидающего отметки, с таким номером и такими цифрами: проверьте SMS и попробуйте ещё раз',
    '没有与该号码和数字相符的待签到号票：请核对短信后重试',
  ),
  TICKET_ALREADY_CALLED: entry(409, 'Ticket {number} has already been called: look at the board for your counter', 'Талон {number} уже вызван: посмотрите на табло, к какому окну подойти', '号码 {number} 已被叫到：请查看显示屏上的窗口'),
  TOO_MANY_CHECK_INS: entry(429, 'Too many check-in attempts from here. Try again in {retryIn}', 'Слишком много попыток отметиться отсюда. Повторите через {retryIn}', '此处签到尝试过多。请在{retryIn}后重试'),
  TICKET_LINE_NOT_ACTIVE: entry(
    409,
    'A ticket is taken for an active line only: line {input} is not active, so it could not get the SMS',
    'Талон берут только для действующей линии: линия {input} не действует и не получит SMS',
    '仅可为正常使用的线路取号：线路 {input} 未在使用，无法接收短信',
  ),
  TOO_MANY_TICKETS: entry(429, 'Too many tickets from here. Try again in {retryIn}', 'Слишком много талонов отсюда. Повторите через {retryIn}', '此处取号过多。请在{retryIn}后重试'),
  DOCUMENT_MISMATCH: entry(403, 'The document number does not match the one on file', 'Номер документа не совпадает с указанным в договоре', '证件号码与登记信息不符'),
  DOCUMENT_NOT_CHECKED_AT_COUNTER: entry(409, 'Check the customer\'s identity document first', 'Сначала проверьте документ клиента', '请先核验客户的身份证件'),
  ICCID_MISMATCH: entry(409, 'This SIM card is not the line\'s SIM', 'Эта SIM-карта не от этой линии', '该 SIM 卡不属于此线路'),
  SIM_NOT_RECORDED: entry(409, 'Record what became of the SIM card first', 'Сначала отметьте, что стало с SIM-картой', '请先记录 SIM 卡的处理方式'),
  SHOP_CHECKLIST_INCOMPLETE: entry(
    409,
    'Tick every checklist item first: {missing}',
    'Сначала отметьте все пункты: {missing}',
    '请先勾选所有检查项：{missing}',
  ),
  SHOP_ZONE_INVALID: entry(400, '{input} is not a time zone (give an IANA zone such as Europe/Moscow)', '{input} — не часовой пояс (укажите зону IANA, например Europe/Moscow)', '{input} 不是时区（请填写 IANA 时区，例如 Europe/Moscow）'),
  SHOP_HOURS_BACKWARDS: entry(400, '{weekday}: {open}–{close} closes before it opens', '{weekday}: {open}–{close} — закрытие раньше открытия', '{weekday}：{open}–{close} 的结束时间早于开始时间'),
  SHOP_HOURS_OVERLAP: entry(400, '{weekday}: {open}–{close} overlaps another interval of the day', '{weekday}: {open}–{close} пересекается с другим интервалом этого дня', '{weekday}：{open}–{close} 与当天另一时段重叠'),
  SHOP_HOURS_NOT_A_TIME: entry(400, '{weekday}: {input} is not a time of day (00:00 to 24:00)', '{weekday}: {input} — не время суток (от 00:00 до 24:00)', '{weekday}：{input} 不是有效时间（00:00 至 24:00）'),
  LANGUAGE_NOT_SUPPORTED: entry(400, 'We do not serve in {input}: the languages are Russian, English and Chinese', 'Язык {input} не поддерживается: доступны русский, английский и китайский', '不支持语言 {input}：可用语言为俄语、英语和中文'),
  SHOP_NAME_MISSING: entry(400, 'Give the shop\'s name in every language it speaks', 'Укажите название салона на каждом его языке', '请用营业厅使用的每种语言填写名称'),
  SHOP_LETTER_TAKEN: entry(409, 'Letter {letter} is already another service\'s in this shop', 'Буква {letter} уже занята другой услугой этого салона', '字母 {letter} 已被本营业厅的其他服务使用'),
  SHOP_LABEL_TAKEN: entry(409, 'Another counter of this shop is already labelled {label}', 'В салоне уже есть окно {label}', '本营业厅已有 {label} 号窗口'),
  SHOP_COUNTER_OUT_OF_SERVICE: entry(409, 'Counter {label} is out of service', 'Окно {label} не работает', '{label} 号窗口暂停服务'),
  STAFF_NOT_FOUND: entry(404, 'No staff member {input}', 'Сотрудник {input} не найден', '未找到员工 {input}'),
  STAFF_NOT_SHOP_AGENT: entry(409, '{name} is not a shop agent: only shop agents work in a shop', '{name} — не сотрудник салона: к салону привязывают только сотрудников салонов', '{name} 不是营业厅店员：只有店员可以绑定营业厅'),
  NO_AGENT_SPEAKS: entry(409, 'No counter of this shop has an agent speaking {language}', 'В салоне нет окна с сотрудником, говорящим на языке {language}', '本营业厅没有会说 {language} 的窗口'),
  // Staff accounts and integrator keys (issue 17, app/staff-accounts.ts, app/api-keys.ts).
  STAFF_LOGIN_TAKEN: entry(409, 'The login {input} is already someone\'s', 'Логин {input} уже занят', '登录名 {input} 已被使用'),
  STAFF_LOGIN_INVALID: entry(400, 'A login is 2 to 40 lower-case Latin letters, digits, dots, dashes or underscores, starting with a letter: {input}', 'Логин — от 2 до 40 строчных латинских букв, цифр, точек, дефисов или подчёркиваний, начиная с буквы: {input}', '登录名须为 2 至 40 个小写拉丁字母、数字、点、连字符或下划线，并以字母开头：{input}'),
  STAFF_ROLE_UNKNOWN: entry(400, 'No staff role {input} (roles: {valid})', 'Роли {input} нет (роли: {valid})', '没有员工角色 {input}（可用角色：{valid}）'),
  STAFF_PASSWORD_TOO_SHORT: entry(400, 'A password has at least {min} characters', 'Пароль должен быть не короче {min} символов', '密码至少需要 {min} 个字符'),
  STAFF_LAST_ADMIN: entry(409, '{name} is the last administrator who can sign in: make someone else an administrator first', '{name} — последний администратор, который может войти: сначала назначьте администратором кого-то ещё', '{name} 是最后一位可以登录的管理员：请先任命其他人为管理员'),
  API_KEY_NOT_FOUND: entry(404, 'No API key {input}', 'Ключ API {input} не найден', '未找到 API 密钥 {input}'),
  API_KEY_ALREADY_REVOKED: entry(409, 'The API key {name} was revoked already', 'Ключ API {name} уже отозван', 'API 密钥 {name} 已被吊销'),
  API_SCOPE_UNKNOWN: entry(400, 'No scope {input} (scopes: {valid})', 'Области доступа {input} нет (есть: {valid})', '没有权限范围 {input}（可用范围：{valid}）'),
  RND_TOO_MANY_PAIRS: entry(400, 'At most {max} pairs per query ({given} given)', 'Не больше {max} пар в запросе (передано {given})', '每次查询最多 {max} 对（收到 {given} 对）'),
  RND_INVALID_NUMBER: entry(400, 'Pair {index}: the number is not in E.164 (+ and digits)', 'Пара {index}: номер не в формате E.164 (+ и цифры)', '第 {index} 对：号码不是 E.164 格式（+ 加数字）'),
  RND_INVALID_DATE: entry(400, 'Pair {index}: the date is not a calendar day (YYYY-MM-DD)', 'Пара {index}: дата не календарный день (ГГГГ-ММ-ДД)', '第 {index} 对：日期不是有效日期（YYYY-MM-DD）'),
  RND_FUTURE_DATE: entry(400, 'Pair {index}: the date is after today ({today}, UTC)', 'Пара {index}: дата позже сегодняшней ({today}, UTC)', '第 {index} 对：日期晚于今天（{today}，UTC）'),
  RND_RATE_LIMITED: entry(429, 'Too many queries with this key. Try again in {retryIn}', 'Слишком много запросов с этим ключом. Повторите через {retryIn}', '此密钥查询过多。请在{retryIn}后重试'),
  REPORT_PERIOD_INVALID: entry(400, 'Not a period: from {from} to {to} (days as YYYY-MM-DD, the first not after the last)', 'Неверный период: с {from} по {to} (дни в виде ГГГГ-ММ-ДД, первый не позже последнего)', '无效的时间段：{from} 至 {to}（日期格式 YYYY-MM-DD，开始不晚于结束）'),
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

  /** The message in a language; instants in it are shown in `timeZone` (the operator's) with the zone named. */
  messageIn(language: Language, timeZone?: string): string {
    return renderMessage(this.code, this.details, language, timeZone);
  }
}

// The weekdays of a shop's hours (`sun` … `sat`), named in the reader's language.
const WEEKDAY_WORDS = {
  sun: { en: 'Sunday', ru: 'Воскресенье', zh: '星期日' },
  mon: { en: 'Monday', ru: 'Понедельник', zh: '星期一' },
  tue: { en: 'Tuesday', ru: 'Вторник', zh: '星期二' },
  wed: { en: 'Wednesday', ru: 'Среда', zh: '星期三' },
  thu: { en: 'Thursday', ru: 'Четверг', zh: '星期四' },
  fri: { en: 'Friday', ru: 'Пятница', zh: '星期五' },
  sat: { en: 'Saturday', ru: 'Суббота', zh: '星期六' },
} as const satisfies Record<string, Readonly<Record<Language, string>>>;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function renderMessage(code: ErrorCode, details: ErrorDetails, language: Language, timeZone?: string): string {
  const template = errorCatalogue[code].message[language];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (key === 'retryIn' && typeof details.retryAfterSeconds === 'number') return waitInWords(details.retryAfterSeconds, language);
    if (key === 'weekday' && typeof details.weekday === 'string' && details.weekday in WEEKDAY_WORDS) return WEEKDAY_WORDS[details.weekday as keyof typeof WEEKDAY_WORDS][language];
    const value = details[key];
    if (value === undefined || value === null) return whole;
    if (timeZone && typeof value === 'string' && INSTANT.test(value)) return readableInstant(value, language, timeZone);
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
