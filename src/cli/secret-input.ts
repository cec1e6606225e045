/**
 * Where a CLI command takes a password from, never from its own arguments (which land in shell history and in
 * `ps`): typed at a hidden prompt, the first line of stdin (`printf %s "$PASS" | simexit …`), or generated
 * and printed once.
 */
import { AppError } from '../domain/errors.ts';

export type PasswordSource = 'prompt' | 'stdin' | 'generate';

export function passwordSource(option: unknown, fallback: PasswordSource | undefined): PasswordSource | undefined {
  if (option === undefined) return fallback;
  if (option === 'prompt' || option === 'stdin' || option === 'generate') return option;
  throw new AppError('VALIDATION_FAILED', { reason: '--password takes prompt, stdin or generate, never the password itself (it would stay in the shell history)' });
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

/** Reads a line from the terminal without echoing it. */
function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new AppError('VALIDATION_FAILED', { reason: '--password prompt needs a terminal; pipe the password with --password stdin' });
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new AppError('VALIDATION_FAILED', { reason: 'cancelled' }));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The password from its source; undefined for `generate` (the use case makes one and answers it once). */
export async function readPassword(source: PasswordSource): Promise<string | undefined> {
  if (source === 'generate') return undefined;
  if (source === 'stdin') return readStdinLine();
  const first = await readHidden('password: ');
  const again = await readHidden('again: ');
  if (first !== again) throw new AppError('VALIDATION_FAILED', { reason: 'the two passwords differ' });
  return first;
}
