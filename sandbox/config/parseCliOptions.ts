// `npm run sandbox` options from flags and SIMCLOUD_SANDBOX_* environment variables (flags win), kept apart from
// main.ts so the parsing is unit-testable.
import { FaultConfigSchema } from '../faults/FaultStep';
import type { SandboxOptions } from '../Sandbox';
import { PORT_NAMES, type PortName } from '../ServiceName';

export const USAGE = `Usage: npm run -s sandbox -- [options]

  --speed <n>            virtual clock speed (0 pauses)         SIMCLOUD_SANDBOX_SPEED
  --seed <n>             fault PRNG seed                         SIMCLOUD_SANDBOX_SEED
  --faults <json>        random fault config (FaultConfig JSON)  SIMCLOUD_SANDBOX_FAULTS
  --no-storage           skip Azurite and s3rver                 SIMCLOUD_SANDBOX_NO_STORAGE=1
  --data-dir <path>      Azurite/s3rver data (default: temp dir) SIMCLOUD_SANDBOX_DATA_DIR
  --host <loopback>      127.0.0.1 (default), ::1 or localhost   SIMCLOUD_SANDBOX_HOST
  --ports ephemeral      every port 0 (OS-assigned)              SIMCLOUD_SANDBOX_PORTS=ephemeral
  --port-<name> <n>      one port; names: ${PORT_NAMES.join(', ')}
                                                                 SIMCLOUD_SANDBOX_PORT_<NAME> (e.g. _SIMULACRA_AUTH)
  --token-ttl <s>        Simulacra token lifetime, virtual s     SIMCLOUD_SANDBOX_TOKEN_TTL

Prints one JSON line on stdout when ready ({"sandbox":"ready",...}); logs go to stderr. Stop with Ctrl-C / SIGTERM.`;

export type CliParse = { help: true } | { help: false; options: SandboxOptions };

export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliParse {
  const flags = readFlags(argv);
  if (flags.has('help') || flags.has('h')) return { help: true };
  const value = (flag: string, envName: string) => flags.get(flag) ?? env[`SIMCLOUD_SANDBOX_${envName}`];
  const options: SandboxOptions = {};

  const speed = value('speed', 'SPEED');
  if (speed !== undefined) options.speed = number('--speed', speed);
  const seed = value('seed', 'SEED');
  if (seed !== undefined) options.seed = Math.trunc(number('--seed', seed));
  const faults = value('faults', 'FAULTS');
  if (faults !== undefined) options.faults = FaultConfigSchema.parse(json('--faults', faults));
  const dataDir = value('data-dir', 'DATA_DIR');
  if (dataDir !== undefined) options.dataDir = dataDir;
  const host = value('host', 'HOST');
  if (host !== undefined) options.host = host;
  const ttl = value('token-ttl', 'TOKEN_TTL');
  if (ttl !== undefined) options.simulacraTokenTtlSeconds = number('--token-ttl', ttl);
  if (flags.has('no-storage') || truthy(env.SIMCLOUD_SANDBOX_NO_STORAGE)) options.storage = false;

  if (value('ports', 'PORTS') === 'ephemeral') options.ports = 'ephemeral';
  const ports: Partial<Record<PortName, number>> = {};
  for (const name of PORT_NAMES) {
    const port = flags.get(`port-${name}`) ?? flags.get(`port-${kebab(name)}`) ?? env[`SIMCLOUD_SANDBOX_PORT_${kebab(name).replace(/-/g, '_').toUpperCase()}`];
    if (port !== undefined) ports[name] = number(`--port-${name}`, port);
  }
  if (Object.keys(ports).length > 0) {
    options.ports = options.ports === 'ephemeral' ? { ...Object.fromEntries(PORT_NAMES.map((n) => [n, 0])), ...ports } : ports;
  }
  return { help: false, options };
}

/** `--name value`, `--name=value`, and bare `--flag` (value ''). */
function readFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) throw new Error(`unexpected argument '${arg}'\n\n${USAGE}`);
    const name = arg.replace(/^--?/, '');
    const eq = name.indexOf('=');
    if (eq >= 0) flags.set(name.slice(0, eq), name.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(name, argv[++i]);
    else flags.set(name, '');
  }
  return flags;
}

function number(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new Error(`${flag} needs a number, got '${raw}'`);
  return value;
}

function json(flag: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`${flag} needs JSON, got '${raw}'`);
  }
}

function truthy(raw: string | undefined): boolean {
  return raw !== undefined && !['', '0', 'false', 'no'].includes(raw.toLowerCase());
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
