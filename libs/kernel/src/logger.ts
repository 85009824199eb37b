import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Structured JSON logs. Secrets never reach them: tokens and cookies are redacted at the source. */
export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kundportal' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', '*.token', '*.accessToken', '*.personalNumber'],
      censor: '[redacted]',
    },
  });
}

/** Nest's logger interface over pino: `logger.log(obj, msg)` and `logger.log(msg)` both work. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const log = context ? this.root.child({ context }) : this.root;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      log[level](message as object, typeof params[0] === 'string' ? params[0] : undefined);
    } else if (message instanceof Error) {
      log[level]({ err: message }, message.message);
    } else {
      const extra = params.length > 0 && typeof params[0] === 'string' && level === 'error' ? { stack: params[0] } : undefined;
      if (extra) log[level](extra, String(message));
      else log[level](String(message));
    }
  }

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
}
