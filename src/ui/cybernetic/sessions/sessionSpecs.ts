import type { CyberneticSessionSpec } from '../../../core/spec/cyberneticSessionSpec';
import type { StartSessionRequest } from '../../../providers/cybernetic/CyberneticApi';
import type { StartSessionForm } from './askStartSessionForm';
import { GPU_CATALOG } from './gpuCatalog';

/** What Start Session's form would have answered for this spec: the same request, the same confirmation text. */
export function sessionFormFromSpec(spec: CyberneticSessionSpec): StartSessionForm {
  const gpu = GPU_CATALOG.find((option) => option.spec === spec.gpuSpec);
  // The spec's schema lists exactly the catalogue's GPUs (a unit test keeps them equal).
  if (!gpu) throw new Error(`No list price for GPU ${spec.gpuSpec}.`);
  const request: StartSessionRequest = {
    gpuSpec: spec.gpuSpec,
    maxRuntimeMinutes: spec.maxRuntimeMinutes,
    idleTimeoutMinutes: spec.idleTimeoutMinutes,
    ...(spec.fromSessionId !== undefined ? { fromSessionId: spec.fromSessionId } : {}),
    ...(spec.envId !== undefined ? { envId: spec.envId, baseVersionId: spec.baseVersionId } : {}),
  };
  return { request, gpu, environmentLabel: spec.envId !== undefined ? `${spec.envId} ${spec.baseVersionId ?? ''}`.trim() : undefined, fromSession: spec.fromSessionId };
}

/** The form's request as a spec file holds it (a GPU outside the spec's list cannot come from the form's catalogue). */
export function sessionSpec(request: StartSessionRequest): CyberneticSessionSpec {
  const fields = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined));
  return { kind: 'cybernetic.session', ...fields } as CyberneticSessionSpec;
}
