/**
 * What the three processes of the example (the app, the worker, `tripmeter serve`) agree on.
 * A real deployment reads these from its environment; the JWT secret here is a test secret.
 */

/** The HS256 secret of the fake Supabase auth (Supabase's legacy "JWT secret"; 32+ characters). */
export const JWT_SECRET = 'travel-app-example-jwt-secret-0123456789';
/** The `iss` of its tokens: a Supabase project's is `https://<ref>.supabase.co/auth/v1`. */
export const JWT_ISSUER = 'https://example-ref.supabase.co/auth/v1';
/** The `aud` of a Supabase user token. */
export const JWT_AUDIENCE = 'authenticated';

/**
 * Client event pages `serve` stores: the two default create-trip pages plus two of the app's own,
 * `trip__` (the trip view) and `app__` (chunk recovery). The page's mirror forwards the same
 * list: keep the two in step.
 */
export const CLIENT_EVENT_PREFIXES = ['create_trip__', 'create_trip_wizard__', 'trip__', 'app__'];

/** The environment `serve` needs for the example: browser login linkage and the extra page. */
export const SERVE_ENV: Readonly<Record<string, string>> = {
  TRIPMETER_IDENTIFY_JWT_SECRET: JWT_SECRET,
  TRIPMETER_IDENTIFY_JWT_ISSUER: JWT_ISSUER,
  TRIPMETER_IDENTIFY_JWT_AUDIENCE: JWT_AUDIENCE,
  TRIPMETER_CLIENT_EVENT_PREFIXES: CLIENT_EVENT_PREFIXES.join(','),
};

/** How the app and the worker are configured (environment variables of their processes). */
export interface AppEnv {
  /** `tripmeter serve`'s base URL. */
  TRIPMETER_URL: string;
  /** An `ingest` key: the enqueue function and the worker send attempts with it. */
  TRIPMETER_INGEST_KEY: string;
  /** A `site` key for the app's origin: the page's mirror and login linkage. */
  TRIPMETER_SITE_KEY: string;
  /** The folder of the job queue the app writes and the worker claims from. */
  QUEUE_DIR: string;
  /** The app's port on 127.0.0.1. */
  PORT: string;
}

/** Reads the {@link AppEnv} variables `names` from `process.env`; exits naming a missing one. */
export function readEnv<K extends keyof AppEnv>(names: readonly K[]): Pick<AppEnv, K> {
  const env = {} as Pick<AppEnv, K>;
  for (const name of names) {
    const value = process.env[name];
    if (!value) {
      console.error(`travel-app: ${name} is not set (start the example with npm run example)`);
      process.exit(2);
    }
    env[name] = value;
  }
  return env;
}
