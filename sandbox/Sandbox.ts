// The public shape of a running sandbox and of the options that start one. Other suites code against these names;
// add to them, never rename.
import type { VirtualClock } from './clock/VirtualClock';
import type { FaultInjector } from './faults/FaultInjector';
import type { FaultConfig } from './faults/FaultStep';
import type { RecordedRequest, TrafficTally } from './http/RequestLog';
import type { PortName, ServiceName } from './ServiceName';
import type { StorageHelpers } from './storage/StorageHelpers';

export interface SandboxOptions {
  /** Loopback only: 127.0.0.1 (default), ::1 or localhost. Anything else is refused. */
  host?: string;
  /** Fixed defaults (see DEFAULT_PORTS); 'ephemeral' = 0 for every port; or override some ports. */
  ports?: 'ephemeral' | Partial<Record<PortName, number>>;
  /** Virtual clock speed factor; 0 pauses it. Default 1. */
  speed?: number;
  /** Virtual epoch ms the clock starts at. Default now. Tests that count per calendar day pin it away from midnight. */
  startAt?: number;
  /** Fault PRNG seed (a FaultConfig.seed overrides it). Default 0x5eed, so runs are reproducible. */
  seed?: number;
  faults?: FaultConfig;
  /** Start Azurite and s3rver (default true); HTTP-core tests pass false for speed. */
  storage?: boolean;
  /** Azurite and s3rver data; default a temp dir removed on close. */
  dataDir?: string;
  /** Lifetime of Simulacra access tokens in virtual seconds. Default 86400. */
  simulacraTokenTtlSeconds?: number;
  log?: (line: string) => void;
}

export interface SandboxUrls {
  control: string;
  simulacrum: string;
  simulacra: string;
  /** Auth0-style token endpoint on its own origin. */
  simulacraTokenUrl: string;
  cybernetic: string;
  simulix: string;
  /** Blob service endpoint including the account, e.g. http://127.0.0.1:10000/devstoreaccount1. */
  azuriteBlob?: string;
  /** S3 endpoint (path-style: <s3>/<bucket>/<key>). */
  s3?: string;
}

export interface SandboxCredentials {
  simulacrum: { apiKey: string };
  simulacra: { clientId: string; clientSecret: string; audience: string; tokenUrl: string };
  cybernetic: { apiKey: string };
  simulix: { apiKey: string };
  azurite: { accountName: string; accountKey: string; container: string };
  s3: { accessKeyId: string; secretAccessKey: string; bucket?: string; region: string };
}

export interface Sandbox {
  urls: SandboxUrls;
  credentials: SandboxCredentials;
  clock: VirtualClock;
  faults: FaultInjector;
  /** The log of recent requests, and per-service counts since start or clear() (answered 429s split into injected
   *  and real overuse). */
  requests: { all(): RecordedRequest[]; clear(): void; tally(): Partial<Record<ServiceName, TrafficTally>> };
  /** SAS / presign helpers bound to this sandbox; undefined when started with storage: false. */
  storage?: StorageHelpers;
  close(): Promise<void>;
}
