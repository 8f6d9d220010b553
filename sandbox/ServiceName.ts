// Every HTTP face the sandbox shows. The four providers are the clouds the extension talks to; `simulacraAuth` is the
// Auth0-like token server Simulacra sends clients to (its own origin, as in production); `azurite` and `s3` are the
// storage fronts that SAS and presigned URLs point at.

export const PROVIDER_NAMES = ['simulacrum', 'simulacra', 'cybernetic', 'simulix'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const SERVICE_NAMES = [...PROVIDER_NAMES, 'simulacraAuth', 'azurite', 's3'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What `'*'` and an unset `providers` list mean for faults: every API the client calls with credentials. Storage
 *  is opted into by name, so a random 5xx rate aimed at the APIs does not also break every upload. */
export const API_SERVICES: readonly ServiceName[] = [...PROVIDER_NAMES, 'simulacraAuth'];

export type PortName = 'control' | ServiceName;
export const PORT_NAMES: readonly PortName[] = ['control', ...SERVICE_NAMES];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
