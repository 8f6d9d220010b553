import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { GenerationRequest } from '../../shared/scenario';
import { checkScenario, toGenerationBody } from '../../shared/scenarioConditions';
import { panelSchemaOf } from '../simulacra/generationSpecs';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { abortOn } from './GetJobTool';
import { schemaSummary } from './GetSimulacraSchemaTool';
import { escape } from './SubmitSpecTool';
import { GenerateScenarioInput, parseInput } from './toolInputs';
import { errorResult, jsonResult, textResult } from './toolResult';

/**
 * `simcloud_generateScenario`: consumes row quota, so it asks first. Invoke fetches the dataset's schema before
 * anything else and refuses conditions on columns or levels the schema does not have, listing the real ones (the
 * guide: "Do not guess categorical levels or numeric ranges; fetch schema"); only a clean scenario is POSTed.
 */
export class GenerateScenarioTool implements vscode.LanguageModelTool<GenerateScenarioInput> {
  constructor(private readonly context: SimCloudToolContext) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GenerateScenarioInput>): vscode.PreparedToolInvocation {
    const input = parseInput(GenerateScenarioInput, options.input);
    const raw = (options.input ?? {}) as Partial<GenerateScenarioInput>;
    const value: Partial<GenerateScenarioInput> = input.ok ? input.value : raw;
    const rows = typeof value.rows === 'number' ? value.rows.toLocaleString('en-US') : '?';
    const conditions = [
      ...(value.categorical ?? []).map((c) => `${c.column} = ${c.level}: ${Math.round(c.share * 1000) / 10} %`),
      ...(value.numeric ?? []).map((n) => `${n.column} in ${n.min}–${n.max}`),
    ];
    const lines = [
      vscode.l10n.t('Dataset: {0}', String(value.datasetId ?? '')),
      vscode.l10n.t('Rows: {0} ({1})', rows, value.format ?? 'csv'),
      vscode.l10n.t('This consumes Simulacra row quota: usage is counted on the rows generated (a tight scenario may yield fewer).'),
      conditions.length ? vscode.l10n.t('Conditions: {0}', conditions.join('; ')) : vscode.l10n.t('No conditions: rows follow the trained distribution.'),
      vscode.l10n.t('Columns and levels are checked against the dataset schema first; nothing is generated if one is unknown.'),
    ];
    return {
      invocationMessage: vscode.l10n.t('Generating {0} rows from {1}', rows, String(value.datasetId ?? '')),
      confirmationMessages: { title: vscode.l10n.t('Generate {0} synthetic rows?', rows), message: new vscode.MarkdownString(lines.map(escape).join('  \n')) },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GenerateScenarioInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const input = parseInput(GenerateScenarioInput, options.input);
    if (!input.ok) return textResult(input.problem);
    const value = input.value;
    const redact = (text: string) => this.context.redact(text);
    const signal = abortOn(token);
    try {
      const { api, source } = await this.context.simulacra();
      const schema = await api.getSchema(value.datasetId, signal);
      const request: GenerationRequest = {
        rowCount: value.rows,
        format: value.format ?? 'csv',
        ...(value.seed !== undefined ? { seed: value.seed } : {}),
        conditions: {
          categorical: (value.categorical ?? []).map((c) => ({ column: c.column, level: c.level, targetShare: c.share })),
          numeric: (value.numeric ?? []).map((n) => ({ column: n.column, min: n.min, max: n.max })),
        },
      };
      const issues = checkScenario(request, panelSchemaOf(schema));
      const errors = issues.filter((issue) => issue.severity === 'error');
      if (errors.length > 0) {
        return jsonResult({
          generated: false,
          refused: errors.map((issue) => issue.message),
          note: 'Nothing was sent to Simulacra. Use only these columns and levels (from the dataset schema):',
          ...schemaSummary(schema),
        });
      }
      const body = toGenerationBody(request);
      // One key per confirmed call: the HTTP client's retries replay the first answer instead of generating twice.
      const response = await api.createGeneration(value.datasetId, body, randomUUID(), signal);
      const resource = await source.afterGeneration(value.datasetId, response, body);
      this.context.refresh('simulacra');
      return jsonResult({
        generated: true,
        datasetId: value.datasetId,
        ...(resource ? { id: resource.id } : {}),
        ...(response.generation_id ? { generationId: response.generation_id } : {}),
        ...(response.job_id ? { jobId: response.job_id } : {}),
        status: response.status ?? 'processing',
        rowsRequested: body.row_count,
        ...(response.rows_generated != null ? { rowsGenerated: response.rows_generated } : {}),
        ...(issues.length ? { warnings: issues.map((issue) => issue.message) } : {}),
        next: 'It appears in the Sim Cloud view; follow it with simcloud_getJob (provider simulacra). Download the artifact from the view.',
      });
    } catch (error) {
      return errorResult(error, vscode.l10n.t('Generating from {0} failed', value.datasetId), redact);
    }
  }
}
