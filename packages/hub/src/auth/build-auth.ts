import { type AuthHook, type AuthorizeHook, createJwtAuth, type Logger, type TokenVerifier } from '@oxidite/server';
import type { HubConfig } from '../config/schema';
import { createConnectProxy } from './connect-proxy';

/** The SDK hooks that authenticate and authorize browser connections. */
export interface HubAuth {
  readonly auth: AuthHook | undefined;
  readonly verifyToken: TokenVerifier | undefined;
  readonly authorize: AuthorizeHook | undefined;
}

/**
 * JWT through the SDK's `createJwtAuth` (HS* secret, RS/ES/PS public key, or a JWKS URL), then the
 * connect proxy if configured, which can refuse or name the user. Without either, connections are
 * anonymous. The proxy's subscription check only narrows the rules declared with the topics.
 */
export function buildAuth(config: HubConfig['auth'], logger: Logger): HubAuth {
  const jwtConfig = config.jwt;
  const jwt =
    jwtConfig &&
    createJwtAuth({
      ...(jwtConfig.secret === undefined ? {} : { secret: jwtConfig.secret }),
      ...(jwtConfig.publicKey === undefined ? {} : { publicKey: jwtConfig.publicKey }),
      ...(jwtConfig.jwksUrl === undefined ? {} : { jwks: new URL(jwtConfig.jwksUrl) }),
      ...(jwtConfig.algorithms === undefined ? {} : { algorithms: jwtConfig.algorithms }),
      ...(jwtConfig.issuer === undefined ? {} : { issuer: jwtConfig.issuer }),
      ...(jwtConfig.audience === undefined ? {} : { audience: jwtConfig.audience }),
    });
  const proxyConfig = config.connectProxy;
  if (!proxyConfig) return { auth: jwt?.auth, verifyToken: jwt?.verifyToken, authorize: undefined };
  const proxy = createConnectProxy({ ...proxyConfig, logger });
  const auth: AuthHook = async (request) => {
    const principal = jwt ? await jwt.auth(request) : null;
    if (jwt && principal === null) return null;
    return proxy.connect(
      {
        action: 'connect',
        user: principal?.id ?? null,
        // Without JWT the backend judges the raw token (a session id, its own token format).
        token: jwt ? null : (request.token ?? null),
        remoteAddress: request.remoteAddress,
        origin: request.origin ?? null,
      },
      principal,
    );
  };
  const authorize: AuthorizeHook | undefined = proxyConfig.subscriptions
    ? (request) =>
        request.action !== 'subscribe' ||
        proxy.subscribe({ action: 'subscribe', user: request.principal?.id ?? null, topic: request.topic })
    : undefined;
  return { auth, verifyToken: jwt?.verifyToken, authorize };
}
