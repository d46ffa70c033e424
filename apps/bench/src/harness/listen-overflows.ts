import { readFileSync } from 'node:fs';

/**
 * The kernel's `TcpExtListenOverflows` counter (what `nstat -az TcpExtListenOverflows` reads): SYNs
 * dropped because a listening socket's accept queue (its backlog) was full. Machine-wide, so other
 * jobs count too. NaN where `/proc/net/netstat` does not exist (not Linux).
 */
export function listenOverflows(): number {
  let text: string;
  try {
    text = readFileSync('/proc/net/netstat', 'utf8');
  } catch {
    return Number.NaN;
  }
  // Pairs of lines: `TcpExt: name name …` then `TcpExt: value value …`.
  const lines = text.split('\n').filter((line) => line.startsWith('TcpExt:'));
  const names = (lines[0] ?? '').split(/\s+/);
  const values = (lines[1] ?? '').split(/\s+/);
  const index = names.indexOf('ListenOverflows');
  return index < 0 ? Number.NaN : Number(values[index]);
}
