// A deliberately tiny router: method + path pattern → handler. Patterns are literal segments, `:name` parameters
// and an optional trailing `*` (rest of the path, in params['*']). No express: the sandbox must behave exactly as
// written here, with nothing between the socket and the handler that could hide a protocol detail.
import type { SandboxRequest } from './SandboxRequest';
import type { SandboxResponse } from './SandboxResponse';

export type Handler = (req: SandboxRequest, res: SandboxResponse) => void | Promise<void>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export class Router {
  private readonly routes: Route[] = [];
  private fallbackHandler: Handler | undefined;

  get(pattern: string, handler: Handler): this {
    return this.on('GET', pattern, handler);
  }
  post(pattern: string, handler: Handler): this {
    return this.on('POST', pattern, handler);
  }
  put(pattern: string, handler: Handler): this {
    return this.on('PUT', pattern, handler);
  }
  patch(pattern: string, handler: Handler): this {
    return this.on('PATCH', pattern, handler);
  }
  delete(pattern: string, handler: Handler): this {
    return this.on('DELETE', pattern, handler);
  }

  on(methods: string | readonly string[], pattern: string, handler: Handler): this {
    for (const method of typeof methods === 'string' ? [methods] : methods) {
      this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    }
    return this;
  }

  /** Handles everything no route matched (the storage fronts proxy this way). */
  fallback(handler: Handler): this {
    this.fallbackHandler = handler;
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const segments = split(path);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      // HEAD is served by the GET handler; node drops the body.
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { kind: 'found', handler: route.handler, params };
      allowed.add(route.method);
    }
    if (this.fallbackHandler) return { kind: 'found', handler: this.fallbackHandler, params: {} };
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    if (expected === '*' && i === pattern.length - 1) {
      const rest = decode(actual.slice(i).join('/'));
      if (rest === undefined) return undefined;
      params['*'] = rest;
      return params;
    }
    const segment = actual[i];
    if (segment === undefined) return undefined;
    if (expected.startsWith(':')) {
      const value = decode(segment);
      if (value === undefined) return undefined;
      params[expected.slice(1)] = value;
    } else if (expected !== segment) {
      return undefined;
    }
  }
  return pattern.length === actual.length ? params : undefined;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
