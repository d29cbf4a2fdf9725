import type { DocumentLike } from './platform.js';

/** Where the Umami tracker script lives and which website it reports to. */
export interface UmamiScriptOptions {
  /** Script URL, e.g. `https://cloud.umami.is/script.js` or a self-hosted `/stats/script.js`. */
  src: string;
  /** The Umami website id (`data-website-id`). */
  websiteId: string;
  /** Optional collector origin (`data-host-url`) when it differs from the script's origin. */
  hostUrl?: string;
}

/**
 * Appends `<script defer src data-website-id data-host-url data-auto-track="false">` to
 * `<head>` and calls `onLoad` when it has run (so queued events go out at once). Call it only
 * after analytics consent; the client's `loadUmami` does that for you.
 */
export function injectUmamiScript(doc: DocumentLike, options: UmamiScriptOptions, onLoad: () => void): void {
  const script = doc.createElement('script');
  script.defer = true;
  script.src = options.src;
  script.setAttribute('data-website-id', options.websiteId);
  if (options.hostUrl) script.setAttribute('data-host-url', options.hostUrl);
  script.setAttribute('data-auto-track', 'false');
  script.addEventListener('load', onLoad);
  doc.head?.append(script as never);
}
