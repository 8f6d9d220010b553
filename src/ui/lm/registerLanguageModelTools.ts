import * as vscode from 'vscode';
import { CancelJobTool } from './CancelJobTool';
import { GenerateScenarioTool } from './GenerateScenarioTool';
import { GetJobTool } from './GetJobTool';
import { GetSimulacraSchemaTool } from './GetSimulacraSchemaTool';
import { ListJobsTool } from './ListJobsTool';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { SubmitSpecTool } from './SubmitSpecTool';

/**
 * Six tools by name, each also contributed in package.json `languageModelTools` under the same name; the composition
 * root registers them with VS Code (src/ui/activation/lazyContributions.ts) and passes calls on to these.
 */
export function languageModelTools(context: SimCloudToolContext): ReadonlyMap<string, vscode.LanguageModelTool<unknown>> {
  const tools: [string, vscode.LanguageModelTool<never>][] = [
    ['simcloud_listJobs', new ListJobsTool(context)],
    ['simcloud_getJob', new GetJobTool(context)],
    ['simcloud_getSimulacraSchema', new GetSimulacraSchemaTool(context)],
    ['simcloud_submitSpec', new SubmitSpecTool(context)],
    ['simcloud_cancelJob', new CancelJobTool(context)],
    ['simcloud_generateScenario', new GenerateScenarioTool(context)],
  ];
  return new Map(tools as [string, vscode.LanguageModelTool<unknown>][]);
}
