import * as vscode from 'vscode';
import type { Resource, ResourceStatus } from '../../core/jobs/Resource';
import type { JobOrigin } from '../../core/jobs/JobOrigins';
import { specOriginText } from '../spec/specOriginText';
import { resourceContextValue } from './contextValue';

const STATUS_ICONS: Record<ResourceStatus, vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock', new vscode.ThemeColor('charts.yellow')),
  running: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  stopping: new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.orange')),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  unknown: new vscode.ThemeIcon('question'),
};

const STATUS_WORDS: Record<ResourceStatus, string> = {
  queued: vscode.l10n.t('queued'),
  running: vscode.l10n.t('running'),
  stopping: vscode.l10n.t('stopping'),
  succeeded: vscode.l10n.t('completed'),
  failed: vscode.l10n.t('failed'),
  cancelled: vscode.l10n.t('cancelled'),
  unknown: vscode.l10n.t('unknown status'),
};

export function statusWord(resource: Resource): string {
  if (resource.statusLabel !== undefined) return resource.statusLabel;
  return resource.status === 'unknown' ? resource.rawStatus : STATUS_WORDS[resource.status];
}

/** "4m 05s" — elapsed time for a job the provider gives no progress for. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The tree's description: status, then progress (or elapsed time while running), then the provider's facts. */
export function resourceDescription(resource: Resource, now: number): string {
  const status = statusWord(resource);
  const parts: string[] = status ? [status] : [];
  if (resource.progress?.text) parts.push(resource.progress.text);
  else if (resource.status === 'running' && resource.startedAt) {
    const started = Date.parse(resource.startedAt);
    if (Number.isFinite(started)) parts.push(formatElapsed(now - started));
  }
  parts.push(...resource.facts);
  return parts.join(' · ');
}

/** The details, then where the job came from when it was submitted from a spec file here (src/core/jobs/JobOrigins). */
export function resourceTooltip(resource: Resource, origin?: JobOrigin): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const status = statusWord(resource);
  md.appendMarkdown(`**${escapeMarkdown(resource.displayName)}**${status ? ` — ${escapeMarkdown(status)}` : ''}\n\n`);
  for (const [label, value] of resource.details) md.appendMarkdown(`${escapeMarkdown(label)}: ${escapeMarkdown(value)}  \n`);
  const spec = specOriginText(origin);
  if (spec) md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Spec file'))}: ${escapeMarkdown(spec)}  \n`);
  return md;
}

/**
 * The row for a resource. The tooltip (a markdown table of every detail) is left out: VS Code asks for it on hover
 * through TreeDataProvider.resolveTreeItem (see JobsTreeDataProvider), so drawing 10,000 rows never builds 10,000 of
 * them. Pass `withTooltip` where no resolveTreeItem follows.
 */
export function resourceTreeItem(resource: Resource, hasChildren: boolean, now: number, withTooltip = false): vscode.TreeItem {
  const item = new vscode.TreeItem(resource.displayName, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  // VS Code keeps a row's expansion by id, and a row that was a leaf comes back collapsed when it gains children (a
  // dataset's first generation, a sweep's first variant): a row with children is another id, so it shows expanded.
  item.id = `resource:${resource.provider}:${resource.id}${hasChildren ? ':children' : ''}`;
  item.description = resourceDescription(resource, now);
  if (withTooltip) item.tooltip = resourceTooltip(resource);
  item.iconPath = resource.icon ? new vscode.ThemeIcon(resource.icon) : STATUS_ICONS[resource.status];
  item.contextValue = resourceContextValue(resource);
  item.accessibilityInformation = { label: `${resource.displayName}, ${item.description}` };
  return item;
}

/** Job names, fields and errors come from the provider: they are shown as text, never as markdown or links. */
export function escapeMarkdown(text: string): string {
  // A replacement string, not a function: no JavaScript call per escaped character (dates and ids are full of them).
  const escaped = text.replace(MARKDOWN_SPECIAL, '\\$&');
  return escaped.includes('\n') ? escaped.replace(/\r?\n/g, ' ') : escaped;
}

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&]/g;
