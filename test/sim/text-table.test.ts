// The fixed-width text tables of `ga-steer simulate`, `npm run worlds` and `npm run worlds:compare`.

import { describe, expect, it } from 'vitest';
import { renderTextTable } from '../../src/sim/text-table.js';

describe('renderTextTable', () => {
  it('makes each column as wide as its widest cell, the first padded on the right, the rest on the left', () => {
    expect(renderTextTable(['controller', 'changes'], [['ga-steer', '6'], ['threshold', '72']])).toBe(['controller  changes', 'ga-steer          6', 'threshold        72'].join('\n'));
  });

  it('draws a rule under the header and cuts trailing spaces when asked, with any columns left-aligned', () => {
    const text = renderTextTable(['world', 'over', 'flags'], [['world-1001', '188', 'OVER WORSE'], ['world-1009', '0', '']], { leftAligned: (i) => i !== 1, rule: true, trimEnd: true });
    expect(text).toBe(['world       over  flags', '----------  ----  ----------', 'world-1001   188  OVER WORSE', 'world-1009     0'].join('\n'));
  });
});
