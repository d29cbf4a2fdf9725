import { z } from 'zod';
import { alertsSettingSchema } from './alerts-settings.js';
import { pricesSettingSchema } from './prices-settings.js';

const port = z.coerce.number().int().min(0).max(65_535);
/** A boolean from a flag, an environment variable (`true`/`false`/`1`/`0`) or JSON. */
const flagBoolean = z.preprocess(
  (v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v),
  z.boolean({ error: 'true or false' }),
);
const retentionDays = z.coerce.number().int().min(1).max(365);
/** A timeout of the HTTP server: 100 ms to 10 minutes. */
const milliseconds = z.coerce.number().int().min(100).max(600_000);

/** The jobs whose period `jobIntervalsMs` may change. */
export const JOB_NAMES = [
  'partitions',
  'rollups',
  'retention',
  'fingerprint-salts',
  'reconcile',
  'alerts',
] as const;
/** A job of `serve`'s scheduler. */
export type JobName = (typeof JOB_NAMES)[number];
/** `{"rollups": 300000}` as JSON text (env, flag) or an object (config file). */
const jobIntervalsSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value; // refused below as "expected record"
    }
  },
  z
    .partialRecord(
      z.enum(JOB_NAMES),
      z
        .number()
        .int()
        .min(1_000)
        .max(7 * 86_400_000),
    )
    .default({}),
);

/**
 * Every setting, its environment variable, its flag and its validation. The order of
 * precedence is: command-line flag, then environment variable, then the config file, then the
 * default. Add a setting here and it is documented by `--help` and the README table. A setting
 * marked `sensitive` (a password, key or secret URL) is never echoed: a refusal names it and its
 * source, not its value.
 */
export const SETTINGS = {
  databaseUrl: {
    env: 'DATABASE_URL',
    flag: 'database-url',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
      .optional(),
    help: 'PostgreSQL URL; when unset, embedded PGlite is used',
    sensitive: true,
  },
  dataDir: {
    env: 'TRIPMETER_DATA_DIR',
    flag: 'data-dir',
    schema: z.string().min(1).default('./.tripmeter/pgdata'),
    help: 'PGlite data folder (ignored with DATABASE_URL)',
  },
  schema: {
    env: 'TRIPMETER_SCHEMA',
    flag: 'schema',
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'a lower-case SQL identifier (letters, digits, _)')
      .refine((s) => s !== 'public' && !s.startsWith('pg_'), 'not public or pg_* (Supabase exposes public)')
      .default('trip_tracking'),
    help: 'Postgres schema for the tables; the admin schema is <schema>_admin',
  },
  host: {
    env: 'TRIPMETER_HOST',
    flag: 'host',
    schema: z.string().min(1).default('127.0.0.1'),
    help: 'address `serve` binds to',
  },
  port: { env: 'TRIPMETER_PORT', flag: 'port', schema: port.default(8787), help: 'port `serve` listens on' },
  logLevel: {
    env: 'TRIPMETER_LOG_LEVEL',
    flag: 'log-level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
    help: 'log level of the JSON logs',
  },
  subjectHmacSecret: {
    env: 'TRIPMETER_SECRET',
    flag: 'secret',
    schema: z.string().min(16, 'at least 16 characters').optional(),
    help: 'HMAC key of deletion receipts; unset: a random secret kept in <schema>.server_secrets',
    sensitive: true,
  },
  linkBackfillDays: {
    env: 'TRIPMETER_LINK_BACKFILL_DAYS',
    flag: 'link-backfill-days',
    schema: z.coerce.number().int().min(0).max(3650).default(30),
    help: 'at login, rows of the anonymous id from the last N days get the user id',
  },
  alerts: {
    env: 'TRIPMETER_ALERTS',
    flag: 'alerts',
    schema: alertsSettingSchema,
    help: 'alert rules as JSON (config file key "alerts"); see README "Alerting"; unset: the defaults',
  },
  prices: {
    env: 'TRIPMETER_PRICES',
    flag: 'prices',
    schema: pricesSettingSchema,
    help: 'model prices as JSON, over the shipped list (config file key "prices"); see docs/generation-anatomy.md',
  },
  alertWebhookUrl: {
    env: 'TRIPMETER_ALERT_WEBHOOK_URL',
    flag: 'alert-webhook-url',
    schema: z.url({ protocol: /^https?$/, error: 'an http(s):// URL' }).optional(),
    help: 'alert notifications are POSTed here as JSON',
    sensitive: true,
  },
  alertSlackWebhookUrl: {
    env: 'TRIPMETER_ALERT_SLACK_WEBHOOK_URL',
    flag: 'alert-slack-webhook-url',
    schema: z.url({ protocol: /^https?$/, error: 'an http(s):// URL' }).optional(),
    help: 'a Slack-compatible incoming webhook for alert notifications (text + blocks)',
    sensitive: true,
  },
  notesPolicy: {
    env: 'TRIPMETER_NOTES_POLICY',
    flag: 'notes-policy',
    schema: z.enum(['redact', 'raw', 'summary', 'drop']).default('summary'),
    help: 'what is kept of free-text notes: summary (default: counts only, no text), redact (e-mails, phones, cards, names, health and other special-category terms replaced; 280 chars), raw (truncated), drop',
  },
  snapshotRetentionDays: {
    env: 'TRIPMETER_SNAPSHOT_RETENTION_DAYS',
    flag: 'snapshot-retention-days',
    schema: retentionDays.default(30),
    help: 'days after which input snapshots and note-bearing payload keys are set to NULL (≤ rowRetentionDays)',
  },
  rowRetentionDays: {
    env: 'TRIPMETER_ROW_RETENTION_DAYS',
    flag: 'row-retention-days',
    schema: retentionDays.default(90),
    help: 'days after which raw rows are deleted (rollups are kept); at most 365',
  },
  fingerprint: {
    env: 'TRIPMETER_FINGERPRINT',
    flag: 'fingerprint',
    schema: flagBoolean.default(false),
    help: 'compute the coarse hashed fingerprint (daily salt, deleted after 48 h); off by default',
  },
  trustProxy: {
    env: 'TRIPMETER_TRUST_PROXY',
    flag: 'trust-proxy',
    schema: flagBoolean.default(false),
    help: 'read the client address from X-Forwarded-For (only behind a proxy you control)',
  },
  rateLimitKeyPerSecond: {
    env: 'TRIPMETER_RATE_LIMIT_KEY_PER_SECOND',
    flag: 'rate-limit-key-per-second',
    schema: z.coerce.number().min(0).default(2000),
    help: 'requests per second one API key may make, sustained (token bucket; 0: no limit)',
  },
  rateLimitKeyBurst: {
    env: 'TRIPMETER_RATE_LIMIT_KEY_BURST',
    flag: 'rate-limit-key-burst',
    schema: z.coerce.number().int().min(1).default(4000),
    help: 'requests one API key may make at once above the sustained rate',
  },
  rateLimitAddressPerSecond: {
    env: 'TRIPMETER_RATE_LIMIT_ADDRESS_PER_SECOND',
    flag: 'rate-limit-address-per-second',
    schema: z.coerce.number().min(0).default(1000),
    help: 'requests per second one client address may make, sustained (per instance unless redisUrl is set; 0: no limit)',
  },
  rateLimitAddressBurst: {
    env: 'TRIPMETER_RATE_LIMIT_ADDRESS_BURST',
    flag: 'rate-limit-address-burst',
    schema: z.coerce.number().int().min(1).default(2000),
    help: 'requests one client address may make at once above the sustained rate',
  },
  headersTimeoutMs: {
    env: 'TRIPMETER_HEADERS_TIMEOUT_MS',
    flag: 'headers-timeout-ms',
    schema: milliseconds.default(10_000),
    help: 'a connection must send its request line and headers within this many ms, else 408 (a new connection too)',
  },
  requestTimeoutMs: {
    env: 'TRIPMETER_REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    schema: milliseconds.default(30_000),
    help: 'a request must arrive whole (headers and body) within this many ms, else 408; at least headersTimeoutMs',
  },
  keepAliveTimeoutMs: {
    env: 'TRIPMETER_KEEP_ALIVE_TIMEOUT_MS',
    flag: 'keep-alive-timeout-ms',
    schema: milliseconds.default(5_000),
    help: 'an idle keep-alive connection is closed after this many ms',
  },
  maxConnections: {
    env: 'TRIPMETER_MAX_CONNECTIONS',
    flag: 'max-connections',
    schema: z.coerce.number().int().min(1).max(1_000_000).default(1_024),
    help: 'open connections `serve` holds at most; more are closed at once (per instance)',
  },
  clientEventPrefixes: {
    env: 'TRIPMETER_CLIENT_EVENT_PREFIXES',
    flag: 'client-event-prefixes',
    schema: z
      .preprocess(
        (v) =>
          typeof v === 'string'
            ? v
                .split(',')
                .map((p) => p.trim())
                .filter((p) => p !== '')
            : v,
        z
          .array(
            z
              .string()
              .regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*__$/, 'a snake_case page and __, e.g. create_trip__'),
          )
          .max(20),
      )
      // The browser client's DEFAULT_MIRROR_PREFIXES (config reads no folder above the domain).
      .default(['create_trip__', 'create_trip_wizard__']),
    help: 'comma-separated name prefixes under which POST /v1/client-events stores any well-formed event besides the default catalog',
  },
  metricsToken: {
    env: 'TRIPMETER_METRICS_TOKEN',
    flag: 'metrics-token',
    schema: z.string().min(16, 'at least 16 characters').optional(),
    help: 'a scrape token accepted as Bearer by GET /metrics (besides admin keys)',
    sensitive: true,
  },
  identifyJwksUrl: {
    env: 'TRIPMETER_IDENTIFY_JWKS_URL',
    flag: 'identify-jwks-url',
    schema: z.url({ protocol: /^https?$/, error: 'an http(s):// URL' }).optional(),
    help: "JWKS of the app's auth (RS256/ES256 access tokens) for POST /v1/client-identify; e.g. https://<ref>.supabase.co/auth/v1/.well-known/jwks.json",
  },
  identifyJwtSecret: {
    env: 'TRIPMETER_IDENTIFY_JWT_SECRET',
    flag: 'identify-jwt-secret',
    schema: z.string().min(32, 'at least 32 characters').optional(),
    help: "the app's HS256 JWT secret, to verify access tokens at POST /v1/client-identify (or identifyJwksUrl)",
    sensitive: true,
  },
  identifyJwtIssuer: {
    env: 'TRIPMETER_IDENTIFY_JWT_ISSUER',
    flag: 'identify-jwt-issuer',
    schema: z.string().min(1).optional(),
    help: 'the `iss` access tokens must carry at POST /v1/client-identify, e.g. https://<ref>.supabase.co/auth/v1',
  },
  identifyJwtAudience: {
    env: 'TRIPMETER_IDENTIFY_JWT_AUDIENCE',
    flag: 'identify-jwt-audience',
    schema: z.string().min(1).optional(),
    help: 'the `aud` access tokens must carry at POST /v1/client-identify (Supabase: authenticated)',
  },
  redisUrl: {
    env: 'TRIPMETER_REDIS_URL',
    flag: 'redis-url',
    schema: z
      .string()
      .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
      .optional(),
    help: 'Redis shared by every `serve` instance for rate limits; unset: limits are per instance',
  },
  jobIntervalsMs: {
    env: 'TRIPMETER_JOB_INTERVALS_MS',
    flag: 'job-intervals-ms',
    schema: jobIntervalsSchema,
    help: 'JSON: a job name → its period in ms (at least 1000), e.g. {"rollups":300000}; unset: the defaults',
  },
} as const;

/** The name of a setting. */
export type SettingName = keyof typeof SETTINGS;

/** The validated, frozen configuration every component receives. */
export type Config = Readonly<{ [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> }>;
