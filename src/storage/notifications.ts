import pg from 'pg';

/** What a listener is told: each payload, and when it may have missed some. */
export interface NotificationHandlers {
  /** A `NOTIFY` on the channel, with its payload. */
  onNotify(payload: string): void;
  /**
   * The connection was lost and is back (or came up late): notifications sent meanwhile are
   * lost, so whatever they would have invalidated must be dropped now.
   */
  onGap?(): void;
  /** The connection failed (it is retried); for logs. */
  onError?(error: Error): void;
}

/** A running `LISTEN`; `close` ends it and its reconnect timer. */
export interface NotificationListener {
  close(): Promise<void>;
}

/** The quoted channel name (channels are our constants; quoting keeps any case intact). */
const quoted = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

/**
 * `LISTEN channel` on a dedicated PostgreSQL connection (a pooled one would be handed to other
 * queries and miss notifications). When the connection drops it reconnects with backoff (250 ms
 * doubling to 5 s) and reports a gap once it is listening again. The retry timer is unref'd and
 * `close` ends the connection and clears the timer, so nothing here outlives a shutdown.
 */
export async function listenPostgres(
  connectionString: string,
  channel: string,
  handlers: NotificationHandlers,
): Promise<NotificationListener> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let delay = 250;

  const connect = async (afterLoss: boolean): Promise<void> => {
    const next = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      if (error) handlers.onError?.(error);
      next.end().catch(() => {});
      schedule();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotify(message.payload ?? '');
    });
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${quoted(channel)}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    delay = 250;
    if (afterLoss) handlers.onGap?.();
  };
  const schedule = () => {
    if (closed) return;
    retry = setTimeout(() => void connect(true), delay);
    retry.unref();
    delay = Math.min(delay * 2, 5_000);
  };

  await connect(false);
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
