// The two undici modules behind its `request` (see adapters/http/undici-request.ts): undici declares
// types for its entry point only; these are the parts used, in undici's own public types.
declare module 'undici/lib/api/index.js' {
  import type { Dispatcher } from 'undici';
  const api: {
    /** Called with the dispatcher as `this`, as undici's entry point calls it. */
    request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  };
  export default api;
}

declare module 'undici/lib/global.js' {
  import type { Dispatcher } from 'undici';
  const undiciGlobal: {
    getGlobalDispatcher(): Dispatcher;
  };
  export default undiciGlobal;
}
