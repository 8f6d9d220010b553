// Public entry of the sandbox for tests and scripts: `import { startSandbox } from '../../sandbox'`.
export { startSandbox } from './startSandbox';
export type { Sandbox, SandboxOptions, SandboxUrls, SandboxCredentials } from './Sandbox';
export { VirtualClock, type TimerHandle } from './clock/VirtualClock';
export { FaultInjector, DEFAULT_FAULT_SEED } from './faults/FaultInjector';
export type { FaultConfig, FaultStep, FaultScript } from './faults/FaultStep';
export type { RecordedRequest } from './http/RequestLog';
export { PROVIDER_NAMES, SERVICE_NAMES, type ProviderName, type ServiceName, type PortName } from './ServiceName';
export { DEFAULT_PORTS } from './config/ports';
export * as devCredentials from './config/devCredentials';
export type { StorageHelpers } from './storage/StorageHelpers';
export type { ProviderModule, SandboxContext } from './providers/ProviderModule';
export { MALFORMED_JSON_BODY } from './faults/playFault';
