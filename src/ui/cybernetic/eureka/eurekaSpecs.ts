import type { CyberneticEurekaSpec } from '../../../core/spec/cyberneticEurekaSpec';
import type { EurekaRunRequest } from '../../../providers/cybernetic/CyberneticApi';

/** What Start Eureka Run's form would have answered for this spec. */
export function eurekaRequestFromSpec(spec: CyberneticEurekaSpec): EurekaRunRequest {
  const { kind: _kind, $schema: _schema, description: _description, ...request } = spec;
  return request;
}

/** The form's request as a spec file holds it. */
export function eurekaSpec(request: EurekaRunRequest): CyberneticEurekaSpec {
  return { kind: 'cybernetic.eureka', ...Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) } as CyberneticEurekaSpec;
}
