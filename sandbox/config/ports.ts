// Fixed default ports, so a developer's settings (and an e2e test's) can point at the same sandbox every day.
// Azurite's and S3's are their usual local ports; the API block sits at 4100+.
import { PORT_NAMES, type PortName } from '../ServiceName';

export const DEFAULT_PORTS: Readonly<Record<PortName, number>> = {
  control: 4100,
  simulacrum: 4101,
  simulacra: 4102,
  simulacraAuth: 4103,
  cybernetic: 4104,
  simulix: 4105,
  azurite: 10000,
  s3: 4569,
};

export function resolvePorts(ports: 'ephemeral' | Partial<Record<PortName, number>> | undefined): Record<PortName, number> {
  if (ports === 'ephemeral') return Object.fromEntries(PORT_NAMES.map((name) => [name, 0])) as Record<PortName, number>;
  const resolved = { ...DEFAULT_PORTS, ...ports };
  for (const name of PORT_NAMES) {
    const port = resolved[name];
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port for ${name} must be an integer 0..65535, got ${port}`);
  }
  return resolved;
}
