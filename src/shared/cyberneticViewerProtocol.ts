/**
 * Messages between the Isaac Sim viewer panel (`src/ui/cybernetic/sessions/ViewerPanel.ts`) and its page
 * (`webview/cyberneticViewer/main.ts`). Both ends parse what they receive with these schemas and drop what fails.
 * The viewer URL carries a token: it travels only in `show`, lives only in the page's memory and the iframe's `src`,
 * and never enters the page state (`ViewerPageState`).
 */
import { z } from 'zod';
import { PanelError } from './simulacraPanelProtocol';

export const VIEWER_VIEW_TYPE = 'simcloud.cybernetic.viewer';

/** Hosts a plain-http viewer may live on: the machine itself (the sandbox, a local Isaac Sim). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a viewer URL is refused, as a code the host words (with vscode.l10n): `host` for plain http, `scheme` for another
 * protocol. Neither repeats the URL's path or query (its token).
 */
export type ViewerUrlProblem = { problem: 'invalid' } | { problem: 'credentials' } | { problem: 'plain-http'; host: string } | { problem: 'scheme'; scheme: string };
export type ViewerUrlCheck = { ok: true; origin: string } | ({ ok: false } & ViewerUrlProblem);

/**
 * Whether a viewer URL may be embedded, and the origin the CSP's `frame-src` is limited to: https anywhere, http only
 * on loopback (SECURITY.md: a token never crosses the network in clear).
 */
export function checkViewerUrl(raw: string): ViewerUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.username || url.password) return { ok: false, problem: 'credentials' };
  if (url.protocol === 'https:') return { ok: true, origin: url.origin };
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return { ok: true, origin: url.origin };
  if (url.protocol === 'http:') return { ok: false, problem: 'plain-http', host: url.host };
  return { ok: false, problem: 'scheme', scheme: url.protocol.replace(/:$/, '').slice(0, 40) };
}

/** The session as the toolbar shows it; times are epoch milliseconds. */
export const ViewerSession = z.object({
  sessionId: z.string().min(1).max(200),
  /** The API's word (queued, starting, running, stopped…): shown as given. */
  status: z.string().max(100),
  /** What the page does: stream (running), wait (queued/starting), or show that it ended. */
  phase: z.enum(['waiting', 'running', 'stopping', 'ended']),
  gpu: z.string().max(200).optional(),
  costPerHour: z.number().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
  /** When `costUsd` was read: while running, the page adds costPerHour for the time since. */
  costAsOf: z.number().optional(),
  /** When the runtime limit stops the session. */
  endsAt: z.number().optional(),
  idleTimeoutMinutes: z.number().nonnegative().optional(),
  /** Why it stopped (user, max_runtime, idle_timeout), once it has. */
  stopReason: z.string().max(200).optional(),
});
export type ViewerSession = z.infer<typeof ViewerSession>;

export const ViewerAction = z.enum(['stop', 'publish', 'openExternal']);
export type ViewerAction = z.infer<typeof ViewerAction>;

/** Host → page. */
export const ViewerHostMessage = z.discriminatedUnion('type', [
  /** `viewerUrl` only while the session runs and the URL passed `checkViewerUrl` on the host. */
  z.object({ type: z.literal('show'), session: ViewerSession, viewerUrl: z.string().max(4000).optional() }),
  /** An action started (the button waits) or finished. */
  z.object({ type: z.literal('busy'), action: ViewerAction, busy: z.boolean() }),
  z.object({ type: z.literal('notice'), text: z.string().max(2000) }),
  z.object({ type: z.literal('error'), error: PanelError }),
]);
export type ViewerHostMessage = z.infer<typeof ViewerHostMessage>;

/** Page → host. */
export const ViewerPageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('publish') }),
  z.object({ type: z.literal('openExternal') }),
]);
export type ViewerPageMessage = z.infer<typeof ViewerPageMessage>;

/** What the page keeps in `setState` (the serializer gets it back after a reload): the session id, nothing else. */
export const ViewerPageState = z.object({ sessionId: z.string().min(1).max(200) });
export type ViewerPageState = z.infer<typeof ViewerPageState>;

/** "1:05:09" / "4:09": time left on the toolbar, ticking each second. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Cost so far at `now`: the server's last figure plus the price for the time since, while the GPU runs. */
export function costAt(session: ViewerSession, now: number): number | undefined {
  if (session.costUsd === undefined) return undefined;
  if (session.phase !== 'running' || session.costPerHour === undefined || session.costAsOf === undefined) return session.costUsd;
  return session.costUsd + (Math.max(0, now - session.costAsOf) / 3_600_000) * session.costPerHour;
}
