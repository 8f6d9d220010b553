// The Isaac Sim viewer page: a toolbar (state, time left, cost, actions) over the session's WebRTC viewer in an
// iframe. Everything shown from the server goes through `el`/text nodes (../common/dom.ts). The viewer URL carries a
// token: it lives in memory and in the iframe's src only, never in setState.
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el, replaceChildren } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
import {
  checkViewerUrl,
  costAt,
  formatCountdown,
  ViewerHostMessage,
  ViewerPageState,
  type ViewerAction,
  type ViewerPageMessage,
  type ViewerSession,
} from '../../src/shared/cyberneticViewerProtocol';
import type { PanelError } from '../../src/shared/simulacraPanelProtocol';

const connection = new HostConnection<ViewerHostMessage, ViewerPageMessage, ViewerPageState>(ViewerHostMessage, ViewerPageState);
const app = document.getElementById('app') as HTMLElement;

const model: { session?: ViewerSession; viewerUrl?: string; error?: PanelError; notice?: string; busy: Set<ViewerAction> } = { busy: new Set() };

const status = el('vscode-badge', { className: 'status-badge', attrs: { 'aria-label': l10n.t('Session status') } });
const identity = el('span', { className: 'identity' });
const timeLeft = el('strong', { className: 'number', attrs: { 'aria-live': 'off' } });
const cost = el('strong', { className: 'number' });
const price = el('span', { className: 'muted' });
const timeFact = el('span', { className: 'fact' }, el('span', { className: 'muted', text: l10n.t('Time left') }), ' ', timeLeft);
const costLabel = el('span', { className: 'muted', text: l10n.t('Cost so far') });
const costFact = el('span', { className: 'fact' }, costLabel, ' ', cost, ' ', price);
const buttons: Record<ViewerAction, HTMLElement> = {
  openExternal: button(l10n.t('Open in External Browser'), 'openExternal', true),
  publish: button(l10n.t('Publish as Environment Version'), 'publish', true),
  stop: button(l10n.t('Stop'), 'stop', false),
};
const message = el('div', { className: 'message', attrs: { role: 'status', 'aria-live': 'polite' } });
const stage = el('section', { className: 'stage', attrs: { 'aria-label': l10n.t('Isaac Sim viewer') } });
let frame: HTMLIFrameElement | undefined;
let frameUrl: string | undefined;

replaceChildren(
  app,
  el('header', { className: 'toolbar' }, el('div', { className: 'facts' }, status, identity, timeFact, costFact), el('div', { className: 'actions' }, buttons.openExternal, buttons.publish, buttons.stop)),
  message,
  stage,
);

function button(label: string, action: ViewerAction, secondary: boolean): HTMLElement {
  return el('vscode-button', {
    text: label,
    props: { secondary, disabled: true },
    on: {
      click: () => {
        if ((buttons[action] as unknown as { disabled: boolean }).disabled) return;
        model.error = undefined;
        model.notice = undefined;
        // Busy at once: a double click would otherwise send two stops or publish twice before the host's 'busy' arrives.
        // The host answers every action with busy: false when it is done (or declined).
        model.busy.add(action);
        renderToolbar();
        connection.post({ type: action });
      },
    },
  });
}

// The embedded viewer is another origin's page: whatever it posts to this window is not the host speaking. The
// connection already drops other origins; this also drops the frame's own window (were it ever same-origin), and runs
// before the connection's listener.
window.addEventListener('message', (event) => {
  if (frame && event.source === frame.contentWindow) event.stopImmediatePropagation();
});

connection.start((incoming) => {
  switch (incoming.type) {
    case 'show':
      if (model.session?.sessionId !== incoming.session.sessionId) model.error = undefined;
      // A new record clears an old error only when it brings a stream; errors about a missing stream stay up.
      if (incoming.viewerUrl) model.error = undefined;
      model.session = incoming.session;
      model.viewerUrl = incoming.viewerUrl;
      connection.setState({ sessionId: incoming.session.sessionId });
      return render();
    case 'busy':
      if (incoming.busy) model.busy.add(incoming.action);
      else model.busy.delete(incoming.action);
      return renderToolbar();
    case 'notice':
      model.notice = incoming.text;
      return renderMessage();
    case 'error':
      model.error = incoming.error;
      return renderMessage();
  }
});

setInterval(renderTicking, 1000);

function render(): void {
  renderToolbar();
  renderMessage();
  renderStage();
}

function renderToolbar(): void {
  const session = model.session;
  const phase = session?.phase;
  status.textContent = session ? session.status : l10n.t('loading');
  status.dataset.phase = phase ?? 'waiting';
  identity.textContent = session ? [session.sessionId, session.gpu].filter(Boolean).join(' · ') : '';
  costLabel.textContent = phase === 'ended' ? l10n.t('Cost') : l10n.t('Cost so far');
  price.textContent = session?.costPerHour !== undefined ? `(${usd(session.costPerHour)}/h)` : '';
  setDisabled('stop', phase !== 'running' && phase !== 'waiting');
  setDisabled('publish', phase !== 'running');
  setDisabled('openExternal', phase !== 'running' || !model.viewerUrl);
  renderTicking();
}

function setDisabled(action: ViewerAction, disabled: boolean): void {
  const busy = model.busy.has(action);
  (buttons[action] as unknown as { disabled: boolean }).disabled = disabled || busy;
  buttons[action].toggleAttribute('aria-busy', busy);
}

/** Time left and cost so far, each second, from the session's end time and price. */
function renderTicking(): void {
  const session = model.session;
  const now = Date.now();
  const running = session?.phase === 'running';
  timeFact.hidden = !running || session?.endsAt === undefined;
  if (running && session?.endsAt !== undefined) timeLeft.textContent = formatCountdown(session.endsAt - now);
  const amount = session ? costAt(session, now) : undefined;
  costFact.hidden = amount === undefined;
  if (amount !== undefined) cost.textContent = usd(amount);
}

function renderMessage(): void {
  if (model.error) {
    const parts = [model.error.message, model.error.providerRequestId ? l10n.t('(request id {0})', model.error.providerRequestId) : ''].filter(Boolean).join(' ');
    replaceChildren(message, el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('span', { className: 'error-text', text: parts })));
  } else if (model.notice) {
    replaceChildren(message, el('p', { className: 'muted', text: model.notice }));
  } else {
    replaceChildren(message);
  }
}

function renderStage(): void {
  const session = model.session;
  const url = session?.phase === 'running' ? model.viewerUrl : undefined;
  // Checked here too: the page never frames what the host would not (and the CSP would block it anyway).
  if (url && checkViewerUrl(url).ok) {
    if (frame && frameUrl === url) return; // Same stream: a cost or time update must not reload it.
    frame = el('iframe', {
      className: 'viewer',
      attrs: { title: l10n.t('Isaac Sim viewer of {0}', session?.sessionId ?? ''), allow: 'autoplay; fullscreen', sandbox: 'allow-scripts allow-same-origin', referrerpolicy: 'no-referrer' },
    });
    frame.src = url;
    frameUrl = url;
    replaceChildren(stage, frame);
    return;
  }
  frame = undefined;
  frameUrl = undefined;
  replaceChildren(stage, stateBox(session));
}

function stateBox(session: ViewerSession | undefined): HTMLElement {
  if (!session) return el('div', { className: 'state' }, el('p', { className: 'muted', text: l10n.t('Loading the session…') }));
  switch (session.phase) {
    case 'waiting':
      return el(
        'div',
        { className: 'state' },
        el('h2', { text: l10n.t('Session {0}', session.status) }),
        el('p', { text: l10n.t('The GPU is being prepared. The viewer appears here as soon as the session is running.') }),
      );
    case 'stopping':
      return el('div', { className: 'state' }, el('h2', { text: l10n.t('Stopping…') }), el('p', { text: l10n.t('The GPU is being released.') }));
    case 'ended': {
      const amount = costAt(session, Date.now());
      return el(
        'div',
        { className: 'state ended' },
        el('h2', { text: session.status === 'unlisted' ? l10n.t('Session not listed') : endedTitle(session.status, session.stopReason) }),
        el('p', { text: session.status === 'unlisted' ? l10n.t('Sign in to Cybernetic Physics again to see it.') : l10n.t('The GPU was released; nothing more is billed for this session.') }),
        amount !== undefined ? el('p', {}, l10n.t('Total cost:'), ' ', el('strong', { text: usd(amount) })) : null,
        el('p', { className: 'muted', text: l10n.t('To continue from it, run Start Isaac Sim Session and choose "Restart from a previous session".') }),
      );
    }
    case 'running':
      return el('div', { className: 'state' }, el('h2', { text: l10n.t('Viewer not available') }), el('p', { text: l10n.t('The session is running, but its viewer could not be embedded.') }));
  }
}

/** Whole sentences per reason, so a translation can put the status where its language wants it. */
function endedTitle(status: string, reason: string | undefined): string {
  switch (reason) {
    case undefined:
      return l10n.t('Session {0}', status);
    case 'user':
      return l10n.t('Session {0} by request', status);
    case 'max_runtime':
      return l10n.t('Session {0} at its runtime limit', status);
    case 'idle_timeout':
      return l10n.t('Session {0} after its idle timeout', status);
    default:
      return l10n.t('Session {0} ({1})', status, reason);
  }
}

function usd(amount: number): string {
  if (amount > 0 && amount < 0.005) return '<$0.01';
  return `$${amount.toFixed(2)}`;
}
