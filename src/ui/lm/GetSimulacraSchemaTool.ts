import * as vscode from 'vscode';
import type { DatasetSchema } from '../../providers/simulacra/SimulacraApi';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { abortOn } from './GetJobTool';
import { GetSimulacraSchemaInput, parseInput } from './toolInputs';
import { errorResult, jsonResult, textResult } from './toolResult';

/** `simcloud_getSimulacraSchema`: the cleaned schema from the API (never guessed); read-only, no confirmation. */
export class GetSimulacraSchemaTool implements vscode.LanguageModelTool<GetSimulacraSchemaInput> {
  constructor(private readonly context: SimCloudToolContext) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GetSimulacraSchemaInput>): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Fetching the schema of Simulacra dataset {0}', String(options.input?.datasetId ?? '')) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GetSimulacraSchemaInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const input = parseInput(GetSimulacraSchemaInput, options.input);
    if (!input.ok) return textResult(input.problem);
    try {
      const { api } = await this.context.simulacra();
      const schema = await api.getSchema(input.value.datasetId, abortOn(token));
      return jsonResult({ datasetId: input.value.datasetId, ...schemaSummary(schema) });
    } catch (error) {
      return errorResult(error, vscode.l10n.t('Fetching the schema of {0} failed', input.value.datasetId), (text) => this.context.redact(text));
    }
  }
}

/** Columns with their types, levels and learned ranges: everything a condition may name. */
export function schemaSummary(schema: DatasetSchema): { columns: Record<string, unknown>[]; rowCount?: number } {
  return {
    columns: schema.columns.map((column) => ({
      name: column.name,
      type: column.type,
      ...(column.rawType && column.rawType !== column.type ? { rawType: column.rawType } : {}),
      ...(column.levels.length ? { levels: [...column.levels] } : {}),
      ...(column.min !== undefined ? { min: column.min } : {}),
      ...(column.max !== undefined ? { max: column.max } : {}),
    })),
    ...(schema.raw.row_count != null ? { rowCount: schema.raw.row_count } : {}),
  };
}
