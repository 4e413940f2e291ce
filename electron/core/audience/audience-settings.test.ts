import { describe, expect, it } from 'vitest';
import { AUDIENCE_DEFAULTS } from '../../../shared/audience-model';
import { checkSettings } from './audience-settings';

const nodes = ['r1', 'r2', 'b1'];

describe('audience settings', () => {
  it('one node changed at a time leaves the others as they were (two quick changes never undo each other)', () => {
    const a = checkSettings({ id: 's', terminal: { node: 'r1', via: 'ssh' } }, AUDIENCE_DEFAULTS, nodes);
    const b = checkSettings({ id: 's', terminal: { node: 'b1', via: 'engine' } }, a, nodes);
    expect(b.terminals).toEqual([
      { node: 'r1', via: 'ssh' },
      { node: 'b1', via: 'engine' },
    ]);
    expect(checkSettings({ id: 's', terminal: { node: 'r1', via: 'off' } }, b, nodes).terminals).toEqual([{ node: 'b1', via: 'engine' }]);
  });

  it('refuses a node that is not in the lab, or one named twice, with its place', () => {
    expect(() => checkSettings({ id: 's', terminals: [{ node: 'r9', via: 'ssh' }] }, AUDIENCE_DEFAULTS, nodes)).toThrow(expect.objectContaining({ code: 'invalid_params', field: 'terminals.0.node' }));
    expect(() => checkSettings({ id: 's', terminals: [{ node: 'r1', via: 'ssh' }, { node: 'r1', via: 'engine' }] }, AUDIENCE_DEFAULTS, nodes)).toThrow(expect.objectContaining({ field: 'terminals.1.node' }));
    expect(() => checkSettings({ id: 's', terminal: { node: 'r9', via: 'engine' } }, AUDIENCE_DEFAULTS, nodes)).toThrow(expect.objectContaining({ field: 'terminal.node' }));
  });

  it('keeps what is not given', () => {
    const s = checkSettings({ id: 's', maxSessions: 4 }, { ...AUDIENCE_DEFAULTS, record: true }, nodes);
    expect(s).toEqual({ terminals: [], maxSessions: 4, idleTimeoutMin: AUDIENCE_DEFAULTS.idleTimeoutMin, record: true });
  });
});
