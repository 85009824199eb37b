import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { ApiHarness } from '../../support/api-harness';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const WEB_DIR = resolve(__dirname, '../../../dist/portal-web');
const FAILURES = resolve(__dirname, '../failures');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser specs cannot run here, or null when they can. */
export function missingForBrowserSpecs(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (!existsSync(join(WEB_DIR, 'index.html'))) return `the portal web UI is not built in ${WEB_DIR} (npm run build)`;
  return null;
}

/**
 * A describe block for specs that drive the portal in Chromium. Without Chromium or the built UI,
 * CI (CI=true) fails with the reason; elsewhere the block is skipped with the reason printed.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const missing = missingForBrowserSpecs();
  // A journey clicks through several pages; each waits at most 10 s for what it expects.
  jest.setTimeout(60_000);
  if (!missing) return describe(name, body);
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium and the built portal', () => {
        throw new Error(`Browser specs cannot run: ${missing}`);
      });
    });
    return;
  }
  console.warn(`Skipping browser specs "${name}": ${missing}`);
  describe.skip(name, body);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * One Chromium and one API server (embedded stores, fresh DATA_DIR, the built UI) for a spec file;
 * each journey gets a fresh browser context, i.e. a fresh tab session.
 */
export class PortalBrowser {
  private constructor(readonly api: ApiHarness, private readonly browser: Browser) {}

  static async start(): Promise<PortalBrowser> {
    const api = await ApiHarness.start({ WEB_DIR });
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
      return new PortalBrowser(api, browser);
    } catch (error) {
      await api.stop();
      throw error;
    }
  }

  get baseUrl(): string {
    return this.api.baseUrl;
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.api.stop();
  }

  /**
   * Runs a journey in a fresh context (a new visitor); on failure keeps a screenshot of the page
   * under test/web/failures/ and rethrows.
   */
  async journey(name: string, steps: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
    // The browser runs in UTC: the portal must show times for Europe/Stockholm all the same.
    const context = await this.browser.newContext({ baseURL: this.baseUrl, locale: 'sv-SE', timezoneId: 'UTC', viewport: { width: 1200, height: 900 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await steps(page, context);
      if (errors.length > 0) throw new Error(`The page threw: ${errors.join('; ')}`);
    } catch (error) {
      mkdirSync(FAILURES, { recursive: true });
      const file = join(FAILURES, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw Object.assign(error as Error, { message: `${(error as Error).message}\n(screenshot: ${file})` });
    } finally {
      await context.close();
    }
  }
}

/** axe-core on the page as it is now: no serious or critical violation may remain. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`,
  )) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) throw new Error(`axe: serious or critical violations on ${page.url()}:\n${JSON.stringify(serious, null, 2)}`);
}

/** Waits until the page shows its heading (the app has rendered this route). */
export async function heading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** Signs in through the development e-ID page, as a person does. */
export async function devSignIn(page: Page, personalNumber: string, name: string, method: 'BankID' | 'Freja eID' = 'BankID'): Promise<void> {
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await heading(page, 'Inloggning för utveckling');
  await expectAccessible(page);
  await page.getByLabel('Personnummer').fill(personalNumber);
  await page.getByLabel('Namn').fill(name);
  await page.getByLabel(method).check();
  await page.getByRole('button', { name: 'Logga in' }).click();
}
