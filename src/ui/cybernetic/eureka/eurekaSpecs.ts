import type { CyberneticEurekaSpec } from '../../../core/spec/cyberneticEurekaSpec';
import type { EurekaRunRequest } from '../../../providers/cybernetic/CyberneticApi';

/** What Start Eureka Run's form would have answered for this spec. */
export function eurekaRequestFromSpec(spec: CyberneticEurekaSpec): EurekaRunRequest {
  const { kind: _kind, $schema: _schema, description: _description, ...request } = spec;
  return request;
}
