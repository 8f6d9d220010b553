// Types for codeServer.cjs, so the TypeScript e2e tests get checked against the launcher they call.
export declare const CODE_SERVER_VERSION: string;
export declare const VSCODE_VERSION: string;
export declare const codeServerDir: string;
export declare const codeServerMarker: string;
export declare const codeServerEntry: string;
export declare const repoRoot: string;
export declare const BASE_SETTINGS: Readonly<Record<string, unknown>>;

export interface SandboxUrls {
  simulacrum: string;
  simulacra: string;
  simulacraTokenUrl: string;
  cybernetic: string;
  simulix: string;
}

export declare function simCloudSettings(urls: SandboxUrls): Record<string, string>;

export interface StartOptions {
  /** vsix files installed with `--install-extension` before the server starts. */
  extensions?: string[];
  /** Merged over BASE_SETTINGS into User/settings.json. */
  settings?: Record<string, unknown>;
  /** Files of the generated workspace folder (relative path → content). */
  workspaceFiles?: Record<string, string>;
  workspaceName?: string;
  host?: string;
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /** Keep the temp profile after stop() (for debugging). */
  keepDirs?: boolean;
  /** More code-server flags, e.g. `['--locale', 'qps-ploc']`. */
  args?: string[];
  log?: (message: string) => void;
}

export interface CodeServer {
  pid: number;
  /** http://127.0.0.1:PORT (no trailing slash). */
  baseUrl: string;
  /** The workbench URL with the generated workspace folder open. */
  url: string;
  dirs: { root: string; userData: string; extensions: string; workspace: string; xdg: string };
  logFile: string;
  /** Settles when the code-server process exits (for any reason). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What code-server printed so far. */
  output(): string;
  /** SIGKILLs the process tree synchronously. */
  killNow(): void;
  /** SIGTERM to the process group, SIGKILL after a timeout, then removes the temp profile. Idempotent. */
  stop(): Promise<void>;
}

export declare function startCodeServer(options?: StartOptions): Promise<CodeServer>;
export declare function descendants(pid: number): number[];
/** True while the process exists and is not a zombie. */
export declare function isRunning(pid: number): boolean;
