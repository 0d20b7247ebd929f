import { describe, expect, it } from 'vitest';
import { ConfigError, configPieces, envNames, readConfig } from './env.js';

describe('CREDITLINE_STAGE', () => {
  it('is required: a missing stage fails fast, naming the variable, instead of becoming local', () => {
    expect(() => readConfig(configPieces.stage, {})).toThrow(ConfigError);
    expect(() => readConfig(configPieces.stage, {})).toThrow(
      `${envNames.stage}: ${envNames.stage} is required (one of local, dev, prod); it is never assumed`,
    );
  });

  it('accepts the three stages and nothing else', () => {
    for (const stage of ['local', 'dev', 'prod'])
      expect(readConfig(configPieces.stage, { [envNames.stage]: stage })).toEqual({
        [envNames.stage]: stage,
      });
    expect(() => readConfig(configPieces.stage, { [envNames.stage]: 'Local' })).toThrow(
      'must be one of local, dev, prod',
    );
  });
});
