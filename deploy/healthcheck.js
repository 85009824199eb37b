// Container health probe: exits 0 when GET /health/ready on this process answers 2xx (both stores answer).
// Used by the image's HEALTHCHECK and by docker-compose; Kubernetes uses httpGet probes instead.
// Plain CommonJS with Node's built-in fetch, so it needs nothing from node_modules.
'use strict';

const port = process.env.PORT || '3000';
const url = process.env.HEALTHCHECK_URL || `http://127.0.0.1:${port}/health/ready`;

fetch(url, { signal: AbortSignal.timeout(Number(process.env.HEALTHCHECK_TIMEOUT_MS) || 3000) })
  .then((res) => {
    if (!res.ok) console.error(`healthcheck: ${url} answered ${res.status}`);
    process.exit(res.ok ? 0 : 1);
  })
  .catch((err) => {
    console.error(`healthcheck: ${url} failed: ${err && err.message ? err.message : err}`);
    process.exit(1);
  });
