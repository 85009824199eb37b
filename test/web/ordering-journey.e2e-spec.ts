import { OrganisationFixtures } from '../support/organisation-fixtures';
import { testPersonalNumber } from '../support/swedish-ids';
import { describeInBrowser, devSignIn, expectAccessible, heading, PortalBrowser } from './support/portal-browser';

describeInBrowser('Ordering in the portal', () => {
  let portal: PortalBrowser;
  let fixtures: OrganisationFixtures;

  beforeAll(async () => {
    portal = await PortalBrowser.start();
    const staff = await portal.api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fixtures = new OrganisationFixtures(portal.api, staff);
  }, 60_000);

  afterAll(async () => {
    await portal?.stop();
  });

  it('an orderer orders Webcert Fristående; the attestant sees the notice, attests one order and rejects another with a reason', async () => {
    const customer = await fixtures.customer({ name: 'Region Orderby' });

    for (const careUnits of ['3', '7']) {
      await portal.journey(`order-${careUnits}`, async (page) => {
        await page.goto('/catalogue');
        await heading(page, 'Logga in');
        await devSignIn(page, customer.orderer.personalNumber, customer.orderer.name);
        await heading(page, 'Tjänster');
        await expectAccessible(page);
        await page.getByRole('link', { name: 'Webcert Fristående' }).click();
        await heading(page, 'Beställ Webcert Fristående');
        await page.getByText(/Startavgift 5\s?000\s?kr/).first().waitFor();
        await page.getByLabel('Antal vårdenheter').fill(careUnits);
        await page.getByRole('button', { name: 'Skicka beställningen' }).click();
        // The terms must be accepted: said at the top of the form and at the box.
        await page.getByRole('alert').waitFor();
        await expectAccessible(page);
        await page.getByLabel('Jag godkänner villkoren').check();
        await page.getByRole('button', { name: 'Skicka beställningen' }).click();
        await heading(page, 'Webcert Fristående');
        await page.getByText('Väntar på attest').waitFor();
        await expectAccessible(page);
        await page.getByRole('link', { name: 'Beställningar', exact: true }).click();
        await heading(page, 'Beställningar');
        await page.getByRole('cell', { name: 'Region Orderby' }).first().waitFor();
      });
    }

    await portal.journey('attest-and-reject', async (page) => {
      await page.goto('/');
      await page.getByRole('link', { name: 'Logga in' }).first().click();
      await devSignIn(page, customer.attestant.personalNumber, customer.attestant.name);
      await heading(page, `Välkommen, ${customer.attestant.name}`);
      await page.getByTestId('avisering').getByText('2 väntar').waitFor();
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Att godkänna' }).click();
      await heading(page, 'Att godkänna');
      const approvals = page.getByRole('article');
      await approvals.nth(1).waitFor();
      expect(await approvals.count()).toBe(2);
      await expectAccessible(page);

      const first = approvals.first();
      await first.getByRole('heading', { name: 'Region Orderby: Webcert Fristående' }).waitFor();
      await first.getByLabel('Engångskod via sms').check();
      await first.getByRole('button', { name: 'Attestera' }).click();
      await page.getByText('Beställningen är attesterad.').waitFor();
      await approvals.nth(1).waitFor({ state: 'detached' });

      const second = approvals.first();
      await second.getByRole('button', { name: 'Avslå' }).click();
      await second.getByLabel('Skäl till avslaget').fill('Fel antal vårdenheter.');
      await second.getByRole('button', { name: 'Avslå beställningen' }).click();
      await page.getByText('Beställningen är avslagen.').waitFor();
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Beställningar', exact: true }).click();
      await page.getByText('Attesterad', { exact: true }).waitFor();
      await page.getByText('Avslagen', { exact: true }).waitFor();
      await page.getByRole('link', { name: 'Start', exact: true }).click();
      await page.getByText('Inget väntar på dig just nu.').waitFor();
    });

    await portal.journey('administrator-sets-roles', async (page) => {
      await page.goto('/organisations');
      await devSignIn(page, customer.admin.personalNumber, customer.admin.name);
      await heading(page, 'Mina organisationer');
      const row = page.getByRole('row', { name: new RegExp(customer.orderer.name) });
      await row.waitFor();
      await expectAccessible(page);
      await row.getByRole('button', { name: `Ändra roller ${customer.orderer.name}` }).click();
      const roles = page.getByRole('group', { name: `Roller för ${customer.orderer.name}` });
      expect(await roles.getByLabel('Beställare').isChecked()).toBe(true);
      await roles.getByLabel('Attestant').check();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Spara rollerna' }).click();
      await row.getByText('Beställare, Attestant').waitFor();
    });
  });

  it('an order via an agent: the agent approves and attests, then the customer attests', async () => {
    const customer = await fixtures.customer({ name: 'Kommun Kundby' });
    const agent = await fixtures.customer({ name: 'Ombud AB' });
    await fixtures.linkAgent(customer, agent);

    await portal.journey('order-via-agent', async (page) => {
      await page.goto('/catalogue/webcert-fristaende/order');
      await devSignIn(page, customer.orderer.personalNumber, customer.orderer.name);
      await heading(page, 'Beställ Webcert Fristående');
      await page.getByLabel('Antal vårdenheter').fill('2');
      await page.getByLabel('Ombudets organisations-id').fill(agent.id);
      await page.getByLabel('Jag godkänner villkoren').check();
      await page.getByRole('button', { name: 'Skicka beställningen' }).click();
      await page.getByText('Väntar på ombudets godkännande').waitFor();
    });

    const act = (who: { personalNumber: string; name: string }, button: string, done: string) =>
      portal.journey(`agent-step-${button}-${who.name}`, async (page) => {
        await page.goto('/approvals');
        await devSignIn(page, who.personalNumber, who.name);
        await heading(page, 'Att godkänna');
        const approval = page.getByRole('article').filter({ hasText: 'Kommun Kundby: Webcert Fristående' });
        await approval.waitFor();
        await expectAccessible(page);
        await approval.getByRole('button', { name: button, exact: true }).click();
        await page.getByText(done).waitFor();
      });
    await act(agent.orderer, 'Godkänn', 'Beställningen är godkänd.');
    await act(agent.attestant, 'Attestera', 'Beställningen är attesterad.');
    await act(customer.attestant, 'Attestera', 'Beställningen är attesterad.');

    await portal.journey('agent-order-trail', async (page) => {
      await page.goto('/orders');
      await devSignIn(page, customer.orderer.personalNumber, customer.orderer.name);
      await page.getByRole('link', { name: 'Webcert Fristående' }).click();
      await page.getByText('Attesterad', { exact: true }).waitFor();
      const steps = page.getByRole('list').filter({ hasText: 'Beställd' });
      await steps.getByText(/Ombudets godkännande: godkänd av/).waitFor();
      await steps.getByText(/Ombudets attest: attesterad av/).waitFor();
      await steps.getByText(/^Attest: attesterad av/).waitFor();
      await expectAccessible(page);
    });
  });
});
