import * as vscode from 'vscode';
import { CancelJobTool } from './CancelJobTool';
import { GenerateScenarioTool } from './GenerateScenarioTool';
import { GetJobTool } from './GetJobTool';
import { GetSimulacraSchemaTool } from './GetSimulacraSchemaTool';
import { ListJobsTool } from './ListJobsTool';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { SubmitSpecTool } from './SubmitSpecTool';

/** Six tools, each also contributed in package.json `languageModelTools` under the same name. */
export function registerLanguageModelTools(context: SimCloudToolContext): vscode.Disposable[] {
  return [
    vscode.lm.registerTool('simcloud_listJobs', new ListJobsTool(context)),
    vscode.lm.registerTool('simcloud_getJob', new GetJobTool(context)),
    vscode.lm.registerTool('simcloud_getSimulacraSchema', new GetSimulacraSchemaTool(context)),
    vscode.lm.registerTool('simcloud_submitSpec', new SubmitSpecTool(context)),
    vscode.lm.registerTool('simcloud_cancelJob', new CancelJobTool(context)),
    vscode.lm.registerTool('simcloud_generateScenario', new GenerateScenarioTool(context)),
  ];
}
