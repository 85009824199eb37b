/**
 * The baseline for every endpoint: a bare Nest + Fastify app with what each of our requests pays
 * before it does any work of its own, and nothing else.
 *
 * - a global guard that verifies the bearer token with `jose.jwtVerify` against a local JWKS
 *   (issuer, audience, ES256), as `libs/identity/src/token.service.ts` does, reading the same
 *   route metadata as our AuthGuard;
 * - a global `ValidationPipe` with the service's options (whitelist, transform, forbidUnknownValues);
 * - `POST /noop` with a small validated DTO (the shape of a ticket) that does nothing, and
 *   `GET /noop` that answers a small JSON;
 * - `PUT /noop/answer` keeps any JSON body, and `GET /noop/answer` answers it: an endpoint of ours
 *   compared with this shows what is left once the answer's own serialising and sending is paid.
 *
 * Run by `bench/run.ts` as its own process: it listens on PORT (127.0.0.1) and prints one JSON line
 * `{ "port": …, "token": … }` with a token its guard accepts.
 */
import 'reflect-metadata';
import { Body, CanActivate, Controller, ExecutionContext, Get, Injectable, Module, Post, Put, SetMetadata, UnauthorizedException, ValidationPipe } from '@nestjs/common';
import { APP_GUARD, APP_PIPE, NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createLocalJWKSet, importJWK, JWK, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';

const ISSUER = 'urn:kundportal:bench-noop';
const AUDIENCE = 'kundportal';
const PUBLIC = 'kp:public';
const STAFF = 'kp:staff';
const Public = () => SetMetadata(PUBLIC, true);

const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

class NoopDto {
  @IsIn(['question', 'fault-report', 'improvement-suggestion'])
  type!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject!: string;

  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  description!: string;
}

/** The key set is built once at start, as the service does: no per-request key import. */
class Keys {
  static verifyKeys: JWTVerifyGetKey;
}

@Injectable()
class NoopAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: unknown }>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new UnauthorizedException();
    try {
      const { payload } = await jwtVerify(match[1], Keys.verifyKeys, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] });
      request.principal = payload;
    } catch {
      throw new UnauthorizedException();
    }
    this.reflector.getAllAndOverride<boolean>(STAFF, targets);
    return true;
  }
}

@Controller('noop')
class NoopController {
  private answer: unknown = {};

  @Post()
  create(@Body() _body: NoopDto) {
    return { id: '00000000-0000-4000-8000-000000000000', position: '1' };
  }

  @Get()
  list() {
    return { items: [{ id: '00000000-0000-4000-8000-000000000000', number: 'T-1001', subject: 'Nothing', status: 'open' }], total: 1 };
  }

  @Put('answer')
  keep(@Body() answer: unknown) {
    this.answer = answer;
    return { kept: true };
  }

  @Get('answer')
  kept() {
    return this.answer;
  }

  @Get('health')
  @Public()
  health() {
    return { status: 'ok' };
  }
}

@Module({
  controllers: [NoopController],
  providers: [
    { provide: APP_GUARD, useClass: NoopAuthGuard },
    { provide: APP_PIPE, useFactory: () => new ValidationPipe({ whitelist: true, transform: true, forbidUnknownValues: true, validationError: { target: false, value: false } }) },
  ],
})
class NoopModule {}

async function main(): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK & { d: string }), kid: randomUUID() };
  const { d: _private, ...publicJwk } = jwk;
  Keys.verifyKeys = createLocalJWKSet({ keys: [{ ...publicJwk, alg: 'ES256', use: 'sig' }] });
  const signingKey = await importJWK(jwk, 'ES256');
  const token = await new SignJWT({ name: 'Bench', eid_method: 'bankid', personal_number: '199001012380', kp_staff: false, kp_auditor: false })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
    .setSubject('bench')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(signingKey);

  const app = await NestFactory.create<NestFastifyApplication>(NoopModule, new FastifyAdapter({ logger: false, bodyLimit: 16 * 1024 * 1024 }), { logger: false });
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  const address = app.getHttpAdapter().getInstance().server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port: address.port, token })}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
