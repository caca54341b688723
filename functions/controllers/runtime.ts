import type { HttpSettings } from '../http/http-settings.js';
import type { StoreContext } from '../store/store-context.js';

/**
 * What a controller is given: the HTTP settings and the store. Built once per Lambda
 * container (functions/composition/runtime.ts) or once per local server, never read from
 * the environment by a controller itself, so one process can serve several stores.
 */
export interface Runtime extends HttpSettings {
  readonly store: StoreContext;
}

/** Where the status page's files are; only its controller needs it. */
export interface PageSettings {
  readonly webDir: string;
  /** The live updates' WebSocket URL the page connects to (ws:// locally, wss:// on AWS); none: the page polls. */
  readonly liveUrl?: string;
}
