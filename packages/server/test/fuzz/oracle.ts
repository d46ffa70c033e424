import { decodeServerBinaryFrame, decodeServerEnvelope } from '@oxidite/protocol';
import type { ServerFrame } from '../support/raw-socket';
import { checkSseText } from '../support/sse-oracle';

/** Close codes PROTOCOL.md §5.1 lets a server send (plus those `ws` sends for protocol errors). */
const CLOSE_CODES = new Set([1000, 1001, 1002, 1007, 1008, 1009, 1011, 1013, 4401, 4403, 4429]);

/**
 * The fuzz oracle: every frame the server sends must pass the protocol's own client decoder, every
 * SSE block must be one PROTOCOL.md §1.2 allows, and every request must be answered. It counts
 * what it checked and keeps the first few violations of each kind for the report.
 */
export class Oracle {
  framesChecked = 0;
  sseBlocksChecked = 0;
  requestsAnswered = 0;
  readonly violations = new Map<string, { count: number; samples: string[] }>();

  fail(kind: string, sample: string): void {
    let entry = this.violations.get(kind);
    if (!entry) {
      entry = { count: 0, samples: [] };
      this.violations.set(kind, entry);
    }
    entry.count++;
    if (entry.samples.length < 3) entry.samples.push(sample.slice(0, 400));
  }

  get violationCount(): number {
    let total = 0;
    for (const entry of this.violations.values()) total += entry.count;
    return total;
  }

  /**
   * Checks one WebSocket frame from the server; returns its envelope type (an error's code), if
   * any. `echoable` is the close code the client itself sent, which the closing handshake may
   * echo (RFC 6455 §5.5.1) whether or not the protocol lists it.
   */
  checkFrame(frame: ServerFrame, echoable?: number): string | undefined {
    this.framesChecked++;
    if (!frame.fin) this.fail('fragmented server frame', `opcode ${frame.opcode}`);
    if (frame.opcode === 1) {
      const text = frame.payload.toString('utf8');
      const result = decodeServerEnvelope(text, { maxLength: Number.MAX_SAFE_INTEGER });
      if (!result.ok) this.fail('text frame fails decodeServerEnvelope', `${result.error.message}: ${text}`);
      if (!result.ok) return undefined;
      return result.value.type === 'error' ? result.value.code : result.value.type;
    }
    if (frame.opcode === 2) {
      const result = decodeServerBinaryFrame(frame.payload);
      if (!result.ok) this.fail('binary frame fails decodeServerBinaryFrame', result.error.message);
      return 'message';
    }
    if (frame.opcode === 8) {
      this.checkClose(frame.payload, echoable);
      return 'close';
    }
    if (frame.opcode !== 9 && frame.opcode !== 10) this.fail('unexpected opcode', String(frame.opcode));
    return undefined;
  }

  /** Checks a close frame's payload: a listed code and a UTF-8 reason of at most 123 bytes. */
  checkClose(payload: Buffer, echoable?: number): void {
    if (payload.length === 0) return;
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : -1;
    if (!CLOSE_CODES.has(code) && code !== echoable) this.fail('unlisted close code', String(code));
    const reason = payload.subarray(2);
    if (reason.length > 123) this.fail('close reason over 123 bytes', reason.toString());
    if (!Buffer.from(reason.toString('utf8')).equals(reason))
      this.fail('close reason not UTF-8', reason.toString('hex'));
  }

  /** Checks raw SSE text (complete blocks only). */
  checkSse(text: string): void {
    this.sseBlocksChecked += text.split('\n\n').length - 1;
    for (const problem of checkSseText(text)) this.fail('SSE block outside PROTOCOL.md §1.2', problem);
  }

  /** A JSON summary for the report. */
  summary(): Record<string, unknown> {
    return {
      framesChecked: this.framesChecked,
      sseBlocksChecked: this.sseBlocksChecked,
      requestsAnswered: this.requestsAnswered,
      violations: Object.fromEntries(this.violations),
    };
  }
}
