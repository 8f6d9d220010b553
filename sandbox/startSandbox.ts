// Composition root of the sandbox: storage backends, one loopback server per service, the provider modules on
// their own origins, and the control server. Everything started here is stopped by close(), also after a failed
// start, and an 'exit' hook kills Azurite if the process ends without close().
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { HmacJwt } from './auth/HmacJwt';
import { ProviderAuthenticator } from './auth/ProviderAuthenticator';
import { registerTokenServer } from './auth/registerTokenServer';
import { VirtualClock } from './clock/VirtualClock';
import { buildCredentials } from './config/buildCredentials';
import * as dev from './config/devCredentials';
import { assertLoopbackHost, originOf } from './config/loopbackHost';
import { resolvePorts } from './config/ports';
import { controlErrorStyle, registerControlRoutes } from './control/registerControlRoutes';
import { DEFAULT_FAULT_SEED, FaultInjector } from './faults/FaultInjector';
import { auth0Style, azureStyle, problemStyle, s3Style, simulacrumStyle, simulixStyle, type ErrorStyle } from './http/ErrorStyle';
import { HttpError } from './http/HttpError';
import { RequestLog } from './http/RequestLog';
import { Router } from './http/Router';
import { ServiceServer } from './http/ServiceServer';
import { TokenBucketLimiter } from './limits/TokenBucketLimiter';
import type { ProviderModule, SandboxContext } from './providers/ProviderModule';
import { PROVIDER_MODULES } from './providers/providerModules';
import { registerCommonRoutes } from './providers/registerCommonRoutes';
import type { Sandbox, SandboxCredentials, SandboxOptions, SandboxUrls } from './Sandbox';
import { PROVIDER_NAMES, type PortName, type ProviderName } from './ServiceName';
import { AzureBlobHelpers } from './storage/AzureBlobHelpers';
import { registerAzuriteFront } from './storage/registerAzuriteFront';
import { registerS3Front } from './storage/registerS3Front';
import { S3Helpers } from './storage/S3Helpers';
import { StorageBackends } from './storage/StorageBackends';
import type { StorageHelpers } from './storage/StorageHelpers';

interface Shared {
  host: string;
  clock: VirtualClock;
  faults: FaultInjector;
  requests: RequestLog;
  log: (line: string) => void;
  seed: number;
  /** The control server's router, created first so provider modules can add their own steering routes to it. */
  control: Router;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = assertLoopbackHost(options.host ?? '127.0.0.1');
  const ports = resolvePorts(options.ports);
  const withStorage = options.storage !== false;
  const shared: Shared = {
    host,
    clock: new VirtualClock({ speed: options.speed ?? 1, startAt: options.startAt }),
    faults: new FaultInjector(options.seed ?? DEFAULT_FAULT_SEED, options.faults),
    requests: new RequestLog(),
    log: options.log ?? (() => {}),
    seed: options.seed ?? DEFAULT_FAULT_SEED,
    control: new Router(),
  };
  const stack = new ShutdownStack();
  try {
    const backends = withStorage ? await startBackends(options.dataDir, shared, stack) : undefined;
    const servers = await listenAll(withStorage, ports, shared, stack);
    const urls = buildUrls(host, servers);
    const credentials = buildCredentials(urls, withStorage);
    const storage = backends && (await storageHelpers(backends, urls, credentials, shared));
    const control = shared.control;
    serveApis(servers, urls, credentials, storage, shared, options.simulacraTokenTtlSeconds ?? dev.SIMULACRA_TOKEN_TTL_SECONDS);
    if (backends) serveStorageFronts(servers, backends, credentials, shared);
    registerControlRoutes(control, { urls, credentials, clock: shared.clock, faults: shared.faults, requests: shared.requests });
    servers.get('control')?.serve(control, controlErrorStyle);
    stack.push(async () => shared.clock.dispose());
    shared.log(`[sandbox] ready: ${JSON.stringify(urls)}`);
    return {
      urls,
      credentials,
      clock: shared.clock,
      faults: shared.faults,
      requests: { all: () => shared.requests.all(), clear: () => shared.requests.clear(), tally: () => shared.requests.tally() },
      storage,
      close: once(() => stack.unwind()),
    };
  } catch (error) {
    await stack.unwind();
    throw error;
  }
}

async function startBackends(dataDir: string | undefined, shared: Shared, stack: ShutdownStack): Promise<StorageBackends> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'simcloud-sandbox-')));
  if (!dataDir) stack.push(() => rm(dir, { recursive: true, force: true }));
  const backends = await StorageBackends.start({ host: shared.host, dataDir: dir, buckets: [dev.S3_BUCKET], log: shared.log });
  const killOnExit = () => backends.killNow();
  process.once('exit', killOnExit);
  stack.push(async () => {
    process.off('exit', killOnExit);
    await backends.stop();
  });
  return backends;
}

async function listenAll(withStorage: boolean, ports: Record<PortName, number>, shared: Shared, stack: ShutdownStack): Promise<Map<PortName, ServiceServer>> {
  const names: PortName[] = ['control', ...PROVIDER_NAMES, 'simulacraAuth', ...(withStorage ? (['azurite', 's3'] as const) : [])];
  const servers = new Map<PortName, ServiceServer>();
  for (const name of names) {
    const server = new ServiceServer({ name, clock: shared.clock, faults: shared.faults, requests: shared.requests, log: shared.log });
    servers.set(name, server);
    stack.push(() => server.close());
  }
  await Promise.all(
    [...servers].map(async ([name, server]) => {
      try {
        await server.listen(shared.host, ports[name]);
      } catch (error) {
        throw new Error(`sandbox: cannot listen for ${name} on ${shared.host}:${ports[name]}: ${(error as Error).message}`);
      }
    }),
  );
  return servers;
}

function buildUrls(host: string, servers: Map<PortName, ServiceServer>): SandboxUrls {
  const origin = (name: PortName) => {
    const address = servers.get(name)?.server.address();
    return address && typeof address === 'object' ? originOf(host, address.port) : undefined;
  };
  const required = (name: PortName) => origin(name) ?? '';
  const azurite = origin('azurite');
  return {
    control: required('control'),
    simulacrum: required('simulacrum'),
    simulacra: required('simulacra'),
    simulacraTokenUrl: `${required('simulacraAuth')}/oauth/token`,
    cybernetic: required('cybernetic'),
    simulix: required('simulix'),
    azuriteBlob: azurite && `${azurite}/${dev.AZURITE_ACCOUNT_NAME}`,
    s3: origin('s3'),
  };
}

async function storageHelpers(backends: StorageBackends, urls: SandboxUrls, credentials: SandboxCredentials, shared: Shared): Promise<StorageHelpers> {
  const internal = (port: number) => ({ host: shared.host, port });
  const azure = new AzureBlobHelpers({
    endpoint: urls.azuriteBlob ?? '',
    internal: internal(backends.azurite.port),
    accountName: credentials.azurite.accountName,
    accountKey: credentials.azurite.accountKey,
    clock: shared.clock,
  });
  await azure.createContainer(credentials.azurite.container);
  const s3 = new S3Helpers({ endpoint: urls.s3 ?? '', internal: internal(backends.s3rver.port), bucket: dev.S3_BUCKET, credentials: credentials.s3, clock: shared.clock });
  return { azure, s3 };
}

function serveApis(servers: Map<PortName, ServiceServer>, urls: SandboxUrls, credentials: SandboxCredentials, storage: StorageHelpers | undefined, shared: Shared, ttlSeconds: number): void {
  const jwt = new HmacJwt(dev.SIMULACRA_JWT_SECRET);
  const issuer = `${new URL(urls.simulacraTokenUrl).origin}/`;
  const styles: Record<ProviderName, ErrorStyle> = {
    simulacrum: simulacrumStyle,
    simulacra: problemStyle(urls.simulacra, 'simio_'),
    cybernetic: problemStyle(urls.cybernetic),
    simulix: simulixStyle,
  };
  const apiKeys: Record<ProviderName, string[]> = {
    simulacrum: [credentials.simulacrum.apiKey],
    simulacra: [],
    cybernetic: [credentials.cybernetic.apiKey],
    simulix: [credentials.simulix.apiKey],
  };
  for (const module of PROVIDER_MODULES) {
    const auth = new ProviderAuthenticator({
      provider: module.name,
      clock: shared.clock,
      apiKeys: apiKeys[module.name],
      jwt: module.name === 'simulacra' ? { verifier: jwt, audience: credentials.simulacra.audience, issuer } : undefined,
    });
    const router = new Router();
    registerCommonRoutes(router, module.name, shared.clock, auth);
    module.register(router, contextFor(module, urls[module.name], urls, credentials, auth, storage, styles[module.name], shared));
    servers.get(module.name)?.serve(router, styles[module.name]);
  }
  const tokenRouter = new Router();
  registerCommonRoutes(tokenRouter, 'simulacraAuth', shared.clock);
  registerTokenServer(tokenRouter, {
    clock: shared.clock,
    jwt,
    clientId: credentials.simulacra.clientId,
    clientSecret: credentials.simulacra.clientSecret,
    audience: credentials.simulacra.audience,
    issuer,
    ttlSeconds,
  });
  servers.get('simulacraAuth')?.serve(tokenRouter, auth0Style);
}

function contextFor(
  module: ProviderModule,
  baseUrl: string,
  urls: SandboxUrls,
  credentials: SandboxCredentials,
  auth: ProviderAuthenticator,
  storage: StorageHelpers | undefined,
  errorStyle: ErrorStyle,
  shared: Shared,
): SandboxContext {
  return {
    provider: module.name,
    baseUrl,
    urls,
    credentials,
    clock: shared.clock,
    seed: shared.seed,
    controlRouter: shared.control,
    auth,
    storage,
    errorStyle,
    httpError: (status, details, headers) => new HttpError(status, details, headers),
    rateLimiter: (options) => new TokenBucketLimiter(shared.clock, options),
    log: (line) => shared.log(`[${module.name}] ${line}`),
  };
}

function serveStorageFronts(servers: Map<PortName, ServiceServer>, backends: StorageBackends, credentials: SandboxCredentials, shared: Shared): void {
  const azureRouter = new Router();
  registerAzuriteFront(azureRouter, shared.clock, { host: shared.host, port: backends.azurite.port });
  servers.get('azurite')?.serve(azureRouter, azureStyle);
  const s3Router = new Router();
  const keys = { secretFor: (id: string) => (id === credentials.s3.accessKeyId ? credentials.s3.secretAccessKey : undefined) };
  registerS3Front(s3Router, shared.clock, keys, { host: shared.host, port: backends.s3rver.port });
  servers.get('s3')?.serve(s3Router, s3Style);
}

/** Closers run in reverse start order; one failing does not stop the others. */
class ShutdownStack {
  private readonly closers: (() => Promise<void>)[] = [];

  push(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  async unwind(): Promise<void> {
    const errors: unknown[] = [];
    while (this.closers.length > 0) {
      const closer = this.closers.pop();
      try {
        await closer?.();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'sandbox: errors while closing');
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}
