import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCliOptions } from '../../../sandbox/config/parseCliOptions';

describe('parseCliOptions', () => {
  it('reads flags in both --name value and --name=value forms', () => {
    const parsed = parseCliOptions(['--speed', '60', '--seed=7', '--no-storage', '--faults', '{"error5xx":0.1}', '--port-control', '5100'], {});
    assert.deepEqual(parsed, { help: false, options: { speed: 60, seed: 7, storage: false, faults: { error5xx: 0.1 }, ports: { control: 5100 } } });
  });

  it('reads SIMCLOUD_SANDBOX_* variables, and flags win over them', () => {
    const env = { SIMCLOUD_SANDBOX_SPEED: '2', SIMCLOUD_SANDBOX_SEED: '3', SIMCLOUD_SANDBOX_NO_STORAGE: '1', SIMCLOUD_SANDBOX_PORT_SIMULACRA_AUTH: '5103', SIMCLOUD_SANDBOX_DATA_DIR: '/tmp/x' };
    const parsed = parseCliOptions(['--speed', '5'], env);
    assert.deepEqual(parsed, { help: false, options: { speed: 5, seed: 3, storage: false, dataDir: '/tmp/x', ports: { simulacraAuth: 5103 } } });
  });

  it('accepts camelCase and kebab-case port names, on top of ephemeral ports', () => {
    const parsed = parseCliOptions(['--ports', 'ephemeral', '--port-simulacra-auth', '0', '--port-s3', '4570'], {});
    assert.ok(!parsed.help);
    assert.deepEqual(parsed.options.ports, { control: 0, simulacrum: 0, simulacra: 0, cybernetic: 0, simulix: 0, simulacraAuth: 0, azurite: 0, s3: 4570 });
  });

  it('refuses bad numbers, bad JSON, invalid fault configs and stray arguments', () => {
    assert.throws(() => parseCliOptions(['--speed', 'fast'], {}), /--speed needs a number/);
    assert.throws(() => parseCliOptions(['--faults', '{oops'], {}), /--faults needs JSON/);
    assert.throws(() => parseCliOptions(['--faults', '{"reset":3}'], {}));
    assert.throws(() => parseCliOptions(['stray'], {}), /unexpected argument/);
  });

  it('--help asks for the usage text', () => {
    assert.deepEqual(parseCliOptions(['--help'], {}), { help: true });
  });
});
