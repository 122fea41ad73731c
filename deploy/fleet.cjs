// osls variable source for serverless.yml: `${file(./deploy/fleet.cjs):PART}` resolves to one part of
// the stack the fleet (--param=fleet=NAME, fleets/NAME.yaml) decides. The work is src/stack/*.ts, loaded
// through tsx (osls loads only CommonJS); this file only hands osls its parameters.
'use strict';

const { join } = require('node:path');

/** One load per fleet and stage, however many parts serverless.yml asks for. */
const loaded = new Map();

module.exports = async ({ resolveVariable }) => {
  // Asked before the values exist, osls expects this to throw its own error and asks again later.
  const fleet = String(await resolveVariable('param:fleet'));
  const stage = String(await resolveVariable('sls:stage'));
  const key = `${fleet}\n${stage}`;
  if (!loaded.has(key)) {
    loaded.set(
      key,
      (async () => {
        const { tsImport } = await import('tsx/esm/api');
        const { loadFleet } = await tsImport('../src/stack/load-fleet.ts', __filename);
        const { stackParts } = await tsImport('../src/stack/stack-parts.ts', __filename);
        return stackParts(await loadFleet(join(__dirname, '..'), fleet), stage);
      })(),
    );
  }
  return loaded.get(key);
};
