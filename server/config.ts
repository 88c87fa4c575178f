import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const configSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ message: 'PUBLIC_URL must be a full URL such as https://holdspace.example.org' }).optional(),
  FACILITATOR_KEY: z.string().min(16, 'FACILITATOR_KEY must be at least 16 characters; leave it unset to have one generated').optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters; leave it unset to have one generated').optional(),
  DATA_DIR: z.string().min(1).default('.holdspace'),
  INVITE_TTL_HOURS: z.coerce.number().positive().max(24 * 90).default(24 * 7),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 7).default(12),
  GRACE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

export type Config = {
  port: number;
  host: string;
  publicUrl: string | null;
  facilitatorKey: string | null;
  sessionSecret: string | null;
  dataDir: string;
  inviteTtlMs: number;
  sessionTtlMs: number;
  graceMs: number;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  production: boolean;
};

/** Read configuration from the environment; errors name the variable and the fix. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Holdspace cannot start: check these environment variables\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL ? c.PUBLIC_URL.replace(/\/$/, '') : null,
    facilitatorKey: c.FACILITATOR_KEY ?? null,
    sessionSecret: c.SESSION_SECRET ?? null,
    dataDir: c.DATA_DIR,
    inviteTtlMs: c.INVITE_TTL_HOURS * 3_600_000,
    sessionTtlMs: c.SESSION_TTL_HOURS * 3_600_000,
    graceMs: c.GRACE_SECONDS * 1000,
    logLevel: c.LOG_LEVEL,
    production: c.NODE_ENV === 'production',
  };
}
