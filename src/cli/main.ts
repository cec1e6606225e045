import { parseArgs } from 'node:util';
import { commands, synopsis } from './command-table.ts';
import { reportError } from './runtime.ts';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: simexit <command> [options]   (--json for scripts; simexit <command> --help)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'The store is SIMEXIT_DB (default sqlite:./data/simexit.db), the policy SIMEXIT_CONFIG (default config/default.yaml).',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`simexit: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${synopsis(name)}\n  ${command.summary}\n`);
      return 0;
    }
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await (await command.load()).run(values, positionals);
  } catch (e) {
    if (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      // node's wording can run to several lines (a hint after the problem): one line, as every other error.
      process.stderr.write(`simexit ${name}: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    return reportError(e);
  }
}
