// undici's `request`, taken from the two modules behind it rather than from undici's entry point. The
// entry point requires the whole of undici (fetch, WebSocket, EventSource, caches, mocks), and a bundler
// cannot drop what CommonJS requires: it was 535 KB of the Lambda bundle's 2.4 MB, parsed on every cold
// start. The same call as undici's for what ga-steer sends (an absolute URL and its options); undici's
// version is pinned, and the loopback tests of every HTTP adapter go through here.

import type { Dispatcher } from 'undici';
import api from 'undici/lib/api/index.js';
import undiciGlobal from 'undici/lib/global.js';

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> &
  Partial<Pick<Dispatcher.RequestOptions, 'method'>> & {
    /** Defaults to undici's global dispatcher. */
    readonly dispatcher?: Dispatcher | undefined;
  };

export function request(url: string | URL, options: RequestOptions): Promise<Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const target = new URL(url);
  return api.request.call(dispatcher ?? undiciGlobal.getGlobalDispatcher(), {
    ...rest,
    origin: target.origin,
    path: `${target.pathname}${target.search}`,
    method: options.method ?? (options.body === undefined || options.body === null ? 'GET' : 'PUT'),
  });
}
