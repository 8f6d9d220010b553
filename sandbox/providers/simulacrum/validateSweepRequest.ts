// POST /api/jobs/sweep: {project_id, parameter_grid, python_script, map_path?, require_gvisor?}.
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { gridSize } from './expandParameterGrid';
import { describe, invalidField, optionalBoolean, requireObject, requiredString } from './invalidField';
import type { ParameterValue } from './SimulacrumJob';
import { checkScript, optionalMapPath } from './validateRenderRequest';

export interface SweepRequest {
  projectId: string;
  grid: Record<string, ParameterValue[]>;
  pythonScript: string;
  mapPath?: string;
  requireGvisor: boolean;
}

export function validateSweepRequest(raw: unknown): SweepRequest {
  const body = requireObject(raw);
  const projectId = requiredString(body, 'project_id');
  const grid = validateGrid(body.parameter_grid);
  const pythonScript = requiredString(body, 'python_script');
  checkScript(pythonScript);
  const mapPath = optionalMapPath(body);
  const requireGvisor = optionalBoolean(body, 'require_gvisor') ?? false;
  return { projectId, grid, pythonScript, mapPath, requireGvisor };
}

function validateGrid(value: unknown): Record<string, ParameterValue[]> {
  const field = 'parameter_grid';
  if (value === undefined || value === null) throw invalidField(field, 'is required');
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(field, `must be an object of arrays, got ${describe(value)}`);
  const entries = Object.entries(value);
  if (entries.length === 0) throw invalidField(field, 'must name at least one parameter');
  const grid: Record<string, ParameterValue[]> = {};
  for (const [name, values] of entries) {
    // Names become command-line flags (--name value).
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) throw invalidField(`${field}.${name}`, 'parameter names must be identifiers (letters, digits, _ and -)');
    if (!Array.isArray(values) || values.length === 0) throw invalidField(`${field}.${name}`, 'must be a non-empty array');
    for (const item of values) {
      const scalar = typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item));
      if (!scalar) throw invalidField(`${field}.${name}`, `values must be strings, numbers or booleans, got ${describe(item)}`);
    }
    grid[name] = values as ParameterValue[];
  }
  const total = gridSize(grid);
  if (total > P.maxSweepVariants) throw invalidField(field, `has ${total} combinations; at most ${P.maxSweepVariants} per sweep (sandbox limit)`);
  return grid;
}
