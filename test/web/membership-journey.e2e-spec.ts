import { OrganisationFixtures } from '../support/organisation-fixtures';
import { testPersonalNumber } from '../support/swedish-ids';
import { describeInBrowser, devSignIn, expectAccessible, heading, PortalBrowser } from './support/portal-browser';

describeInBrowser('Membership in the portal', () => {
  let portal: PortalBrowser;
  let staff: string;
  let fixtures: OrganisationFixtures;

  beforeAll(async () => {
    portal = await PortalBrowser.start();
    staff = await portal.api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
    fixtures = new OrganisationFixtures(portal.api, staff);
  }, 60_000);

  afterAll(async () => {
    await portal?.stop();
  });

  /** The link in the latest e-mail of `template` to `to` (the mail reactor runs behind the log: wait for it). */
  async function mailLink(to: string, template: string): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const link = (await fixtures.mails(to)).reverse().find((m) => m.template === template)?.data.link as string | undefined;
      if (link) {
        const url = new URL(link);
        return url.pathname + url.search;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no ${template} mail to ${to}`);
  }

  it('an account holder opens the invitation link, signs in with e-ID, accepts, and sees the organisation among theirs', () =>
    portal.journey('invitation-accept', async (page) => {
      const inviting = await fixtures.organisation({ name: 'Region Inbjudby' });
      const person = await fixtures.outsider();
      const invited = await portal.api.post(`/organisations/${inviting.id}/invitations`, { name: person.name, email: person.email, roles: ['orderer'] }, inviting.admin.token);
      expect(invited.status).toBe(201);

      await page.goto(await mailLink(person.email, 'invitation'));
      await heading(page, 'Inbjudan till Kundportalen');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Logga in och svara på inbjudan' }).click();
      await heading(page, 'Logga in');
      await devSignIn(page, person.personalNumber, person.name);
      await heading(page, 'Inbjudan till Kundportalen');
      await page.getByText(`Du är inloggad som ${person.name}.`).waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Tacka ja till inbjudan' }).click();
      await heading(page, 'Du är medlem');
      await page.getByText('Du är nu medlem i Region Inbjudby.').waitFor();
      await expectAccessible(page);
      await page.getByRole('main').getByRole('link', { name: 'Mina organisationer' }).click();
      await heading(page, 'Mina organisationer');
      const section = page.getByRole('region', { name: 'Region Inbjudby' });
      await section.getByText('Beställare').first().waitFor();
      await expectAccessible(page);
    }),
  );

  it('someone without an account opens the invitation link and creates one with it, joining active', () =>
    portal.journey('invitation-create-account', async (page) => {
      const inviting = await fixtures.organisation({ name: 'Region Nykomby' });
      const email = `nils.${inviting.organisationNumber.replace('-', '')}@region.se`;
      expect((await portal.api.post(`/organisations/${inviting.id}/invitations`, { name: 'Nils Ny', email, roles: ['attestant'] }, inviting.admin.token)).status).toBe(201);

      await page.goto(await mailLink(email, 'invitation'));
      await heading(page, 'Inbjudan till Kundportalen');
      await page.getByRole('link', { name: 'Logga in och svara på inbjudan' }).click();
      await devSignIn(page, testPersonalNumber(), 'Nils Ny');
      await heading(page, 'Inbjudan till Kundportalen');
      await page.getByRole('heading', { level: 2, name: 'Skapa konto' }).waitFor();
      await expectAccessible(page);
      expect(await page.getByLabel('Namn').inputValue()).toBe('Nils Ny');
      await page.getByLabel('E-postadress i tjänsten').fill(email);
      await page.getByLabel('Organisationsnummer').fill(inviting.organisationNumber);
      await page.getByRole('button', { name: 'Skapa kontot och tacka ja' }).click();
      await heading(page, 'Du är medlem');
      await page.getByText('Du är nu medlem i Region Nykomby.').waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Mina organisationer' }).click();
      await page.getByRole('region', { name: 'Region Nykomby' }).getByText('Attestant').first().waitFor();
      expect(await page.getByRole('heading', { name: 'Väntar på godkännande' }).count()).toBe(0);
    }),
  );
});
