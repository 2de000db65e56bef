/**
 * The lifecycle every Tributary process shares (DESIGN §2): start, then run until SIGTERM/SIGINT and close
 * cleanly (exit 0); a signal during start-up closes as soon as start-up ends; an uncaught error or a failed
 * close is fatal (logged, exit 1). The process object is injected so the lifecycle can be tested.
 */
export interface ServiceLogger {
  info(fields: object, message: string): void;
  fatal(fields: object, message: string): void;
}

export interface ServiceProcess {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  exit(code: number): void;
}

export interface RunServiceOptions<Handle extends { close(): Promise<void> }> {
  readonly logger: ServiceLogger;
  readonly start: () => Promise<Handle>;
  /** Called once start-up succeeded, unless a stop signal already arrived. */
  readonly onStarted?: (handle: Handle) => void;
  readonly process?: ServiceProcess;
}

export async function runService<Handle extends { close(): Promise<void> }>(
  options: RunServiceOptions<Handle>,
): Promise<void> {
  const proc: ServiceProcess = options.process ?? process;
  const { logger } = options;
  const fatal = (error: unknown, what: string): void => {
    logger.fatal({ err: error }, what);
    proc.exit(1);
  };
  proc.on('uncaughtException', (error) => fatal(error, 'uncaught exception'));
  proc.on('unhandledRejection', (error) => fatal(error, 'unhandled rejection'));

  let handle: Handle | undefined;
  let stopping = false;
  const close = (): void => {
    if (handle === undefined) return; // start-up is still running; it closes when it ends
    handle.close().then(
      () => proc.exit(0),
      (error: unknown) => fatal(error, 'clean shutdown failed'),
    );
  };
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close();
  };
  proc.on('SIGTERM', () => stop('SIGTERM'));
  proc.on('SIGINT', () => stop('SIGINT'));

  try {
    handle = await options.start();
  } catch (error) {
    fatal(error, 'failed to start');
    return;
  }
  if (stopping) close();
  else options.onStarted?.(handle);
}
