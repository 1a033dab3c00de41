// A tiny classic-BPF interpreter for seccomp programs: enough (LD W ABS, JEQ/JGE K, AND K, RET K)
// to check a filter's verdict for any syscall without installing it.
import type { BpfInsn } from '../../src/landlock/seccomp.js';

export interface SeccompData {
  readonly nr: number;
  readonly arch: number;
  /** Low 32 bits of each argument (a negative number is its two's complement). */
  readonly args?: readonly number[];
  /** High 32 bits of each argument; 0 when not given. */
  readonly argsHigh?: readonly number[];
}

export function runFilter(prog: readonly BpfInsn[], data: SeccompData): number {
  const load = (off: number): number => {
    if (off === 0) return data.nr >>> 0;
    if (off === 4) return data.arch >>> 0;
    if (off >= 16 && off < 64 && (off - 16) % 8 === 0) return (data.args?.[(off - 16) / 8] ?? 0) >>> 0;
    if (off >= 16 && off < 64 && (off - 16) % 8 === 4) return (data.argsHigh?.[(off - 20) / 8] ?? 0) >>> 0;
    throw new Error(`bad load offset ${off}`);
  };
  let acc = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const i = prog[pc] as BpfInsn;
    switch (i.code) {
      case 0x20:
        acc = load(i.k);
        break;
      case 0x54:
        acc = (acc & i.k) >>> 0;
        break;
      case 0x15:
        pc += acc === i.k ? i.jt : i.jf;
        break;
      case 0x35:
        pc += acc >= i.k ? i.jt : i.jf;
        break;
      case 0x06:
        return i.k >>> 0;
      default:
        throw new Error(`unsupported opcode 0x${i.code.toString(16)}`);
    }
  }
  throw new Error('fell off the end of the program');
}
