import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden, Unauthenticated } from '@kundportal/kernel';
import { Principal, TokenService } from '@kundportal/identity';

const PUBLIC = 'kp:public';
const STAFF = 'kp:staff';
const AUDIT = 'kp:audit';

/** No sign-in needed. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Support staff only (token claim). */
export const StaffOnly = () => SetMetadata(STAFF, true);
/** Staff and auditors only (token claims). */
export const StaffOrAuditor = () => SetMetadata(AUDIT, true);

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/** Verifies the bearer token on every route not marked @Public, and checks staff/auditor claims. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, targets);
    if (isPublic && !header) return true;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      if (isPublic) return true;
      throw new Unauthenticated();
    }
    const principal = await this.tokens.verify(match[1]);
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(STAFF, targets) && !principal.staff) {
      throw new Forbidden('staffOnly');
    }
    if (this.reflector.getAllAndOverride<boolean>(AUDIT, targets) && !principal.staff && !principal.auditor) {
      throw new Forbidden('staffOrAuditor');
    }
    return true;
  }
}

/** The verified caller; on a @Public route it may be undefined. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
