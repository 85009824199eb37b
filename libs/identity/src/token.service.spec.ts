import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, Unauthenticated } from '@kundportal/kernel';
import { TokenService } from './token.service';

describe('TokenService.verify, asked again for the same token', () => {
  let dataDir: string;
  let tokens: TokenService;
  const person = { subject: 'sub-1', name: 'Anna Andersson', method: 'bankid' as const, personalNumber: '199001012385' };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kundportal-tokens-'));
    tokens = new TokenService(loadConfig({ DATA_DIR: dataDir, TOKEN_TTL_SECONDS: '60' }));
    await tokens.onModuleInit();
  });

  afterEach(() => {
    jest.useRealTimers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers with the same principal, which cannot be changed', async () => {
    const { accessToken } = await tokens.mint(person);
    const first = await tokens.verify(accessToken);
    const again = await tokens.verify(accessToken);
    expect(again).toBe(first);
    expect(first).toMatchObject({ subject: 'sub-1', personalNumber: '199001012385', staff: false });
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses the token once it has expired, to the second jose checks it at', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { accessToken } = await tokens.mint(person);
    const exp = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).exp as number;
    await tokens.verify(accessToken);
    jest.setSystemTime(exp * 1000 - 1);
    await expect(tokens.verify(accessToken)).resolves.toMatchObject({ subject: 'sub-1' });
    jest.setSystemTime(exp * 1000);
    await expect(tokens.verify(accessToken)).rejects.toBeInstanceOf(Unauthenticated);
  });

  it('refuses a token that differs in any way from one it verified', async () => {
    const { accessToken } = await tokens.mint(person);
    await tokens.verify(accessToken);
    const [header, payload, signature] = accessToken.split('.');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'AB' : 'AA');
    await expect(tokens.verify(`${header}.${payload}.${flipped}`)).rejects.toBeInstanceOf(Unauthenticated);
    const staff = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), kp_staff: true })).toString('base64url');
    await expect(tokens.verify(`${header}.${staff}.${signature}`)).rejects.toBeInstanceOf(Unauthenticated);
  });
});
