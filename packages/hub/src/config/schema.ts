import * as z from 'zod';

/** What an API key may do; `admin` implies every other scope. */
export const API_SCOPES = ['publish', 'presence', 'history', 'admin'] as const;

/** One of {@link API_SCOPES}. */
export type ApiScope = (typeof API_SCOPES)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest (64 characters)');

/** An API key as stored in the config: its SHA-256 digest only, never the key itself. */
export const ApiKeyConfigSchema = z.strictObject({
  /** A name for logs; never secret. */
  name: z.string().min(1).max(64),
  /** `sha256(key)` in lowercase hex (`npx @oxidite/hub --hash-key <key>` prints it). */
  sha256: sha256Hex,
  /** What the key may do; `admin` is everything. */
  scopes: z.array(z.enum(API_SCOPES)).min(1),
});
export type ApiKeyConfig = z.infer<typeof ApiKeyConfigSchema>;

/** A declared topic: a JSON Schema for its payloads plus the SDK's topic options. */
export const TopicConfigSchema = z.strictObject({
  /** JSON Schema (draft 2020-12 or 07) of the payload. @default {} (any JSON) */
  schema: z.union([z.record(z.string(), z.unknown()), z.boolean()]).default({}),
  /** History retention. @default { size: 100, maxAge: 300000 } */
  history: z
    .strictObject({ size: z.int().min(0).max(100_000).optional(), maxAge: z.int().min(0).optional() })
    .optional(),
  /** Whether members are tracked. @default false */
  presence: z.boolean().optional(),
  /** The parameter naming the owning user. @default the first parameter of `user:{…}` patterns */
  owner: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** Whether browsers may publish. @default true */
  clientPublish: z.boolean().optional(),
});
export type TopicConfig = z.infer<typeof TopicConfigSchema>;

/** JWT verification for browser connections (the SDK's `createJwtAuth`). */
export const JwtConfigSchema = z
  .strictObject({
    /** HMAC secret; prefer the `OXIDITE_JWT_SECRET` environment variable. */
    secret: z.string().min(32, 'at least 32 characters').optional(),
    /** PEM public key (RS*, ES*, PS*, EdDSA). */
    publicKey: z.string().min(1).optional(),
    /** URL of a JSON Web Key Set. */
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Accepted `alg` values. @default those of the key */
    algorithms: z.array(z.string().min(1)).optional(),
    /** Required `iss`. @default any */
    issuer: z.string().min(1).optional(),
    /** Required `aud`. @default any */
    audience: z.string().min(1).optional(),
  })
  .refine((jwt) => [jwt.secret, jwt.publicKey, jwt.jwksUrl].filter((v) => v !== undefined).length === 1, {
    message: 'exactly one of secret (or OXIDITE_JWT_SECRET), publicKey, jwksUrl',
  });
export type JwtConfig = z.infer<typeof JwtConfigSchema>;

/** The connect proxy: the app backend decides over HTTP whether a connection or subscription is allowed. */
export const ConnectProxyConfigSchema = z.strictObject({
  /** POST endpoint of the app backend. */
  url: z.url({ protocol: /^https?$/ }),
  /** @default 2000 */
  timeoutMs: z.int().min(1).max(60_000).default(2_000),
  /** How long an answer is reused for the same question. @default 30000 */
  cacheTtlMs: z.int().min(0).max(3_600_000).default(30_000),
  /** Ask before each subscription as well as each connection. @default false */
  subscriptions: z.boolean().default(false),
});
export type ConnectProxyConfig = z.infer<typeof ConnectProxyConfigSchema>;

/** The whole hub config (`oxidite.config.json`). */
export const HubConfigSchema = z.strictObject({
  /** @default 8080 (or `PORT`) */
  port: z.int().min(0).max(65_535).default(8080),
  /** @default '127.0.0.1' (or `HOST`); `0.0.0.0` in a container */
  host: z.string().min(1).default('127.0.0.1'),
  /** Where the SQLite notifications live. @default './oxidite-data' */
  dataDir: z.string().min(1).default('./oxidite-data'),
  /** Topic names and patterns (`chat:{room}`) with their JSON Schema and options. Required. */
  topics: z.record(z.string().min(1), TopicConfigSchema),
  /** Keys of the HTTP API (digests and scopes). @default [] (plus `OXIDITE_API_KEY` when set) */
  apiKeys: z.array(ApiKeyConfigSchema).default([]),
  /** Browser authentication. @default {} (anonymous connections) */
  auth: z
    .strictObject({
      jwt: JwtConfigSchema.optional(),
      connectProxy: ConnectProxyConfigSchema.optional(),
    })
    .default({}),
  /** Browser origins allowed to connect: 'same-origin', '*' or a list. @default 'same-origin' */
  origins: z.union([z.literal('same-origin'), z.literal('*'), z.array(z.string().min(1))]).default('same-origin'),
  /**
   * Which proxies to believe about client addresses (rate limits, logs): false (the socket
   * address), addresses/CIDRs/presets like ['loopback'], true, or a hop count. @default false
   */
  trustProxy: z.union([z.boolean(), z.int().min(0).max(32), z.array(z.string().min(1))]).default(false),
  /** The header the trusted proxy writes the client address into. @default 'x-forwarded-for' */
  proxyHeader: z.enum(['x-forwarded-for', 'forwarded']).default('x-forwarded-for'),
  /** Largest HTTP API request body, in bytes. @default 65536 */
  maxBodyBytes: z
    .int()
    .min(256)
    .max(16 * 1024 * 1024)
    .default(65_536),
  /** Grace given to clients on SIGTERM, in ms. @default 5000 */
  closeGrace: z.int().min(0).max(60_000).default(5_000),
});

/** The config as written (defaults optional). */
export type HubConfigInput = z.input<typeof HubConfigSchema>;
/** The validated config, defaults applied. */
export type HubConfig = z.output<typeof HubConfigSchema>;
