import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAnalyticsHandlers, createMemoryRateLimiter } from '@oxidite/server';
import { createApi, runRoute } from './api';
import type { DemoConfig } from './config';
import { HttpError, sendError, sendJson } from './http-json';
import { createDemoRealtime, type DemoRealtime } from './realtime';
import { createStaticFiles } from './static-files';
import { createTokenService } from './tokens';

/** The demo's HTTP handler and the realtime side it mounts. */
export interface DemoApp {
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  readonly realtime: DemoRealtime;
}

/** Builds the demo: static page, JSON API, analytics ingest and metrics, SSE; WebSockets attach separately. */
export function createDemoApp(config: DemoConfig, onError: (error: unknown, where: string) => void): DemoApp {
  const tokens = createTokenService(config.secret);
  const realtime = createDemoRealtime(config, tokens, onError);
  const { rt, notifications, analytics } = realtime;
  const api = createApi({ tokens, notifications, track: realtime.track });
  const staticFiles = createStaticFiles(config.publicDir);
  const analyticsHandlers = createAnalyticsHandlers(analytics, {
    rateLimiter: createMemoryRateLimiter(),
    // A page batches its events; this leaves room for a few tabs on one address.
    rateRule: { capacity: 120, refillPerSecond: 20 },
    onError: (error) => onError(error, 'analytics ingest'),
  });

  /** Handlers by exact path; anything else is a static file or a 404. */
  const routes: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => void>> = {
    '/events': rt.handlers.events, // SSE: the dashboard's live metrics
    '/api/analytics': (req, res) => void analyticsHandlers.ingest(req, res),
    '/api/metrics': (req, res) => void analyticsHandlers.metrics(req, res),
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const route = routes[pathname];
    const entry = api[pathname];
    if (route) {
      route(req, res);
    } else if (entry) {
      runRoute(entry, req, res).catch((error: unknown) => {
        sendError(res, error);
        if (!(error instanceof HttpError)) onError(error, `${req.method} ${pathname}`);
      });
    } else if (!staticFiles(req, res, pathname)) {
      sendJson(res, 404, { error: { code: 'not_found', message: 'not found' } });
    }
  }

  return { handle, realtime };
}
