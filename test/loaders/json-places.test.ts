// Places of issues in JSON inputs (snapshots, stored state): an issue is placed at its own line and
// column wherever it is, including after objects and lists the locator had no reason to enter.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadChecked, messagesOf } from './loaders.js';

describe('JSON issue places', () => {
  it('places an issue that follows a sibling object it did not enter', () => {
    const state = [
      '{',
      '  "stateVersion": 1,',
      '  "groups": {',
      '    "a": { "expectedDialPercent": 50 },',
      '    "b": { "expectedDialPercent": "85" }',
      '  }',
      '}',
    ].join('\n');
    expect(messagesOf(loadChecked('state', state, 'state.json'))).toEqual(["state.json:5:35 groups.b.expectedDialPercent: expected a number, got the string '85'"]);
  });

  it('places issues deep in a recorded snapshot at their own lines', () => {
    const text = readFileSync('examples/snapshots/crazycall-hot.json', 'utf8');
    const snapshot = JSON.parse(text) as { takenAt: unknown; accelerators: { listeners: { endpointGroups: { trafficDialPercent: unknown }[] }[] }[] };
    const groups = snapshot.accelerators[0]!.listeners[0]!.endpointGroups;
    groups[groups.length - 1]!.trafficDialPercent = 'full';
    const pretty = JSON.stringify(snapshot, null, 2);
    const line = pretty.split('\n').findIndex((l) => l.includes('"trafficDialPercent": "full"')) + 1;
    const messages = messagesOf(loadChecked('snapshot', pretty, 'snap.json'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`^snap\\.json:${line}:\\d+ accelerators\\[0\\]\\.listeners\\[0\\]\\.endpointGroups\\[${groups.length - 1}\\]\\.trafficDialPercent: expected a number, got the string 'full'$`));
  });
});
