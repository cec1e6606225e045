/**
 * `simexit call NUMBER`: a phone call to the hotline of a running simexit, over the same signed webhooks a voice
 * platform sends (src/cli/call/simulator.ts). Prints what is said; reads keys from the keyboard, or takes them
 * from `--digits 1,2,,4` (an empty item is silence; when they run out the caller hangs up); `--lang` answers the
 * language menu; `--json` prints the transcript; `--voice` speaks through espeak-ng when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { LANGUAGE_KEYS } from '../../domain/call-flow.ts';
import { AppError } from '../../domain/errors.ts';
import { isLanguage, type Language, LANGUAGE_NAMES } from '../../domain/languages.ts';
import { normalizeMsisdn } from '../../domain/msisdn.ts';
import { processEnvironment } from '../../config/env.ts';
import { loadPolicy } from '../../config/load-config.ts';
import { demoVoiceTokenFile } from '../../config/voice-settings.ts';
import { type Keys, playCall, type Turn } from '../call/simulator.ts';
import type { Said } from '../call/twiml-reader.ts';
import { fail } from '../runtime.ts';

/** The simulator's own words (what it says about the call, not what the hotline says). */
const WORDS = {
  ru: { calling: 'Звонок', from: 'с номера', to: 'на', keys: 'клавиши (Enter — тишина, q — положить трубку)', silence: 'тишина', pressed: 'нажато', menuHungUp: 'Меню положило трубку.', callerHungUp: 'Вы положили трубку.', dialled: 'Соединение с номером', queue: 'Вы в очереди к оператору; симулятор здесь заканчивает звонок.', ended: 'Звонок окончен.', noEspeak: 'espeak-ng не установлен (apt-get install espeak-ng): только текст.' },
  en: { calling: 'Calling', from: 'from', to: 'to', keys: 'keys (Enter is silence, q hangs up)', silence: 'silence', pressed: 'pressed', menuHungUp: 'The menu hung up.', callerHungUp: 'You hung up.', dialled: 'Connecting to', queue: 'You are in the queue for an agent; the simulator ends the call here.', ended: 'The call has ended.', noEspeak: 'espeak-ng is not installed (apt-get install espeak-ng): text only.' },
  zh: { calling: '拨打', from: '主叫号码', to: '被叫', keys: '按键（回车表示不按键，q 挂断）', silence: '未按键', pressed: '已按', menuHungUp: '语音菜单已挂断。', callerHungUp: '您已挂断。', dialled: '正在接通', queue: '您正在排队等待人工客服；模拟器在此结束通话。', ended: '通话已结束。', noEspeak: '未安装 espeak-ng（apt-get install espeak-ng）：仅显示文字。' },
} as const satisfies Record<Language, Record<string, string>>;

/** The number the caller dials, as the platform reports it (`To`); the hotline records it and answers any. */
const HOTLINE_NUMBER = '+78005550000';

/** espeak-ng's voice for each `<Say language>`. */
const ESPEAK_VOICE: Record<string, string> = { 'ru-RU': 'ru', 'en-GB': 'en-gb', 'zh-CN': 'cmn' };

function speak(said: readonly Said[]): void {
  for (const s of said) spawnSync('espeak-ng', ['-v', ESPEAK_VOICE[s.language] ?? 'en', '-s', s.slow ? '115' : '155', s.text], { stdio: 'ignore' });
}

const hasEspeak = (): boolean => spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;

export async function run(values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const env = processEnvironment();
  const policy = loadPolicy(env.configFile, { override: env.siteUrl, fallback: 'http://localhost:8080' });
  const input = positionals.join(' ').trim();
  if (!input) fail('call needs the NUMBER that calls, for example: simexit call "+7 999 000-00-02" --lang en');
  const from = normalizeMsisdn(input, policy.operator.country);
  const lang = values.lang === undefined ? undefined : String(values.lang);
  if (lang !== undefined && !isLanguage(lang)) throw new AppError('VALIDATION_FAILED', { field: 'lang', reason: 'ru, en or zh' });
  const words = WORDS[lang ?? 'en'];
  const json = Boolean(values.json);
  const serverUrl = typeof values.url === 'string' ? values.url : `http://localhost:${env.port}`;
  const tokenFile = demoVoiceTokenFile(env);
  const authToken = env.voiceAuthToken ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (!authToken) fail(`no voice auth token: set SIMEXIT_VOICE_AUTH_TOKEN to the server's, or start the demo (npm start) here, which keeps one in ${tokenFile}`);

  const script = typeof values.digits === 'string' ? values.digits.split(',').map((d) => d.trim()) : undefined;
  if (script?.some((d) => !/^[0-9*#]*$/.test(d))) throw new AppError('VALIDATION_FAILED', { field: 'digits', reason: 'keys 0-9, * and #, separated by commas (an empty item is silence)' });
  const voice = Boolean(values.voice) && !json;
  if (Boolean(values.voice) && !hasEspeak()) process.stderr.write(`${words.noEspeak}\n`);
  const speaking = voice && hasEspeak();
  const keyboard = script === undefined ? createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY }) : undefined;
  const lines = keyboard?.[Symbol.asyncIterator]();
  let answeredMenu = lang === undefined;

  const keys: Keys = async (turn: Turn) => {
    if (!answeredMenu) {
      answeredMenu = true;
      if (!json) process.stdout.write(`  > ${LANGUAGE_KEYS[lang as Language]}  (${words.pressed}: ${LANGUAGE_NAMES[lang as Language]})\n`);
      return LANGUAGE_KEYS[lang as Language];
    }
    if (script) {
      const next = script.shift();
      if (next !== undefined && !json) process.stdout.write(`  > ${next === '' ? `(${words.silence})` : next}\n`);
      return next ?? null;
    }
    const digits = turn.gather?.numDigits ? ` [${turn.gather.numDigits}]` : '';
    process.stdout.write(`  ${words.keys}${digits}: `);
    const line = await lines?.next();
    if (!line || line.done) return null;
    const typed = line.value.trim();
    // Keys piped in are not echoed by a terminal: show them, so the transcript reads like the call.
    if (!process.stdin.isTTY) process.stdout.write(`${typed === '' ? `(${words.silence})` : typed}\n`);
    if (typed.toLowerCase() === 'q') return null;
    return typed.replace(/[^0-9*#]/g, '');
  };

  if (!json) process.stdout.write(`${words.calling} ${words.from} ${from} ${words.to} ${serverUrl}\n`);
  try {
    const result = await playCall({
      serverUrl,
      signingBaseUrl: env.voiceBaseUrl ?? serverUrl,
      authToken: authToken as string,
      from,
      to: typeof values.to === 'string' ? values.to : HOTLINE_NUMBER,
      keys,
      onTurn: (turn) => {
        if (json) return;
        for (const s of turn.said) process.stdout.write(`  [${s.language}${s.slow ? ', slow' : ''}] ${s.text}\n`);
        if (speaking) speak(turn.said);
      },
    });
    if (json) {
      process.stdout.write(`${JSON.stringify({ callSid: result.callSid, from, ended: result.ended, dialled: result.dialled, turns: result.turns.map((t) => ({ said: t.said, waitsForKeys: t.gather !== null, numDigits: t.gather?.numDigits ?? null, holding: t.holding, pressed: t.pressed })) })}\n`);
    } else {
      const end = { hung_up_by_menu: words.menuHungUp, caller_hung_up: words.callerHungUp, dialled: `${words.dialled} ${result.dialled ?? ''}`, left_the_queue: words.queue, document_ended: words.ended }[result.ended];
      process.stdout.write(`${end}\n`);
    }
    return 0;
  } finally {
    keyboard?.close();
  }
}
