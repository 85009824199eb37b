/**
 * Screenshots of the portal for the README (docs/screenshots/), on a fresh embedded server with a
 * customer, an order waiting for attestation and a ticket answered by support:
 *
 *   npm run build && npm run screenshots
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { OrganisationFixtures } from '../support/organisation-fixtures';
import { testPersonalNumber } from '../support/swedish-ids';
import { devSignIn, heading, missingForBrowserSpecs, PortalBrowser } from './support/portal-browser';

const OUT = resolve(__dirname, '../../docs/screenshots');

async function main(): Promise<void> {
  const missing = missingForBrowserSpecs();
  if (missing) throw new Error(missing);
  mkdirSync(OUT, { recursive: true });
  const portal = await PortalBrowser.start();
  try {
    const staff = await portal.api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Support' });
    const fixtures = new OrganisationFixtures(portal.api, staff);
    const customer = await fixtures.customer({ name: 'Region Norrbacka' });
    const attestant = customer.attestant;
    const orderIds: string[] = [];
    for (const careUnits of [3, 12]) {
      const order = await portal.api.post(
        '/orders',
        { organisationId: customer.id, offeringId: 'webcert-fristaende', details: { careUnits }, acceptTerms: true },
        customer.orderer.token,
      );
      if (order.status !== 201) throw new Error(JSON.stringify(order.body));
      orderIds.push(order.body.id);
    }
    const ticket = await portal.api.post('/tickets', { type: 'fault-report', subject: 'Utskrift av intyg blir tom', description: 'Sedan i morse.', organisationId: customer.id }, attestant.token);
    await portal.api.post(`/tickets/${ticket.body.id}/messages`, { body: 'Vi undersöker saken och återkommer i dag.' }, staff);

    const shoot = async (name: string, path: string, title: string | RegExp, width = 1200) =>
      portal.journey(`screenshot-${name}`, async (page) => {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
        await heading(page, 'Logga in');
        await devSignIn(page, attestant.personalNumber, attestant.name);
        await heading(page, title);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
      });
    await shoot('start', '/', `Välkommen, ${attestant.name}`);
    await shoot('approvals', '/approvals', 'Att godkänna');
    await shoot('tickets', '/tickets', 'Mina ärenden');
    await shoot('ticket', `/tickets/${ticket.body.id}`, /Utskrift av intyg blir tom/);
    await shoot('order', `/orders/${orderIds[0]}`, 'Webcert Fristående');
    await shoot('organisations', '/organisations', 'Mina organisationer');
    if (process.env.SCREENSHOTS_NARROW) await shoot('narrow-tickets', '/tickets', 'Mina ärenden', 390);
    if (process.env.SCREENSHOTS_NARROW) await shoot('narrow-organisations', '/organisations', 'Mina organisationer', 390);
    await portal.journey('screenshot-visitor', async (page) => {
      await page.goto('/');
      await heading(page, 'Välkommen till Kundportalen');
      await page.screenshot({ path: `${OUT}/visitor.png`, fullPage: true });
    });
  } finally {
    await portal.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
