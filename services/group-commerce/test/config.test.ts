import { describe, expect, it } from 'vitest';
import { ConfigError } from '@fusioncommerce/platform';
import { DEFAULT_SETTINGS, loadGroupSettings } from '../src/config.ts';

describe('group-commerce settings', () => {
  it('when nothing is set, then the defaults apply', () => {
    expect(loadGroupSettings({})).toEqual(DEFAULT_SETTINGS);
  });

  it('when values are set, then they are read and the share base loses its trailing slash', () => {
    expect(
      loadGroupSettings({ GROUP_DEADLINE_POLL_MS: '0', GROUP_DEADLINE_BATCH_SIZE: '5', GROUP_HOLD_GRACE_SECONDS: '600', GROUP_SHARE_BASE_URL: 'https://shop.example/' }),
    ).toEqual({ deadlinePollMs: 0, deadlineBatchSize: 5, holdGraceSeconds: 600, shareBaseUrl: 'https://shop.example' });
  });

  it('when a value is wrong, then start-up stops with one clear line naming it', () => {
    expect(() => loadGroupSettings({ GROUP_DEADLINE_POLL_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadGroupSettings({ GROUP_HOLD_GRACE_SECONDS: '5' })).toThrow(/GROUP_HOLD_GRACE_SECONDS/);
    expect(() => loadGroupSettings({ GROUP_SHARE_BASE_URL: 'shop.example' })).toThrow(/GROUP_SHARE_BASE_URL/);
  });
});
