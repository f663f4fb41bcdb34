export interface StartOptions {
  /** Database file; ':memory:' (default) for one that lives and dies with the server. */
  db?: string;
  /** More `serve` flags (see `interviewbase --help`). */
  args?: string[];
  /** The binary (default: INTERVIEWBASE_BINARY, IB_BINARY, or the bundled one). */
  binary?: string;
  /** Cheap password hashing (default true: for test suites only). */
  fastPasswords?: boolean;
  /** Per-request log lines on stderr (default false). */
  logRequests?: boolean;
  /** Start-up deadline in milliseconds (default 10000). */
  timeoutMs?: number;
}

export interface Server {
  url: string;
  anonKey: string;
  serviceKey: string;
  /** Empties every table and the auth users; keeps the schema, keys and buckets. */
  reset(): Promise<void>;
  /** Stops the server (SIGTERM) and resolves once it exited. */
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

export function start(options?: StartOptions): Promise<Server>;
