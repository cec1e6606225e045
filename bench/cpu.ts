import { readFileSync } from 'node:fs';

/** CPU time a process has spent (Linux /proc, in ms): per request it varies far less than requests/s on a shared machine. */
export function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
