// The policy: what the user asked for, before any path is looked at or any kernel is consulted.
import type { PathFlag } from '../landlock/access.js';
import type { Origin } from '../shared/origin.js';

export interface PathGrant {
  readonly flag: PathFlag;
  /** Absolute path (relative ones are resolved by the front end that read them). */
  readonly path: string;
  /** Where it came from (an option, an input, a policy file, a preset); text only for messages. */
  readonly origin: Origin;
}

export interface PortGrant {
  readonly port: number;
  readonly origin: Origin;
}

export interface Policy {
  readonly paths: readonly PathGrant[];
  readonly bindTcp: readonly PortGrant[];
  readonly connectTcp: readonly PortGrant[];
  readonly unrestrictedFilesystem: boolean;
  readonly unrestrictedNetwork: boolean;
  readonly unrestrictedScoped: boolean;
  /** Do not restrict unix sockets at all (neither Landlock fs.resolve_unix nor the seccomp fallback). */
  readonly allowUnixSockets: boolean;
  /** Keep capabilities when the launcher holds some (root, container jobs). */
  readonly keepCapabilities: boolean;
  /** Skip rule paths that do not exist instead of failing. */
  readonly ignoreMissing: boolean;
  /** Loopback networking: any TCP port may be bound, any port on a loopback address connected,
   *  and other hosts only on granted connect ports (the native supervisor decides each connect). */
  readonly loopback: boolean;
  /** Let the command use the kernel keyrings (keyctl, add_key, request_key), refused otherwise. */
  readonly allowKeyring: boolean;
  readonly log: {
    readonly disableOriginating: boolean;
    readonly enableSubprocesses: boolean;
    readonly disableSubdomains: boolean;
  };
}

export const emptyPolicy: Policy = {
  paths: [],
  bindTcp: [],
  connectTcp: [],
  unrestrictedFilesystem: false,
  unrestrictedNetwork: false,
  unrestrictedScoped: false,
  allowUnixSockets: false,
  keepCapabilities: false,
  ignoreMissing: false,
  loopback: false,
  allowKeyring: false,
  log: { disableOriginating: false, enableSubprocesses: false, disableSubdomains: false },
};
