import type { Page } from 'playwright-core';
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

  async function signInAt(page: Page, personalNumber: string, name: string): Promise<void> {
    await page.goto('/sign-in');
    await heading(page, 'Logga in');
    await devSignIn(page, personalNumber, name);
    await heading(page, `Välkommen, ${name}`);
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
      // In their first organisation they hold no role: its members are not theirs to see, and the page says why.
      await page.getByText('Du har ingen roll här än.', { exact: false }).waitFor();
      expect(await page.getByText('Du har inte behörighet att göra detta.').count()).toBe(0);
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

  it('an administrator approves a join request with roles, declines one, invites a person, removes a member, and is refused removing the last administrator', () =>
    portal.journey('administer-members', async (page) => {
      const organisation = await fixtures.organisation({ name: 'Region Adminby' });
      await fixtures.applicant(organisation, 'Jonas Join');
      await fixtures.applicant(organisation, 'Dora Decline');
      await fixtures.member(organisation, ['orderer'], 'Mona Member');

      await signInAt(page, organisation.admin.personalNumber, organisation.admin.name);
      await page.getByRole('link', { name: 'Organisationer' }).first().click();
      await heading(page, 'Mina organisationer');
      const requests = page.getByRole('region', { name: 'Förfrågningar om medlemskap' });
      await requests.getByRole('cell', { name: 'Jonas Join', exact: true }).waitFor();
      await expectAccessible(page);

      await requests.getByRole('button', { name: 'Godkänn Jonas Join' }).click();
      const roles = page.getByRole('group', { name: 'Roller för Jonas Join' });
      await roles.getByLabel('Beställare').check();
      await roles.getByLabel('Attestant').check();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Godkänn med rollerna' }).click();
      await page.getByRole('button', { name: 'Ändra roller Jonas Join' }).waitFor();
      const jonas = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Jonas Join', exact: true }) });
      await jonas.getByRole('cell', { name: 'Beställare, Attestant', exact: true }).waitFor();

      await requests.getByRole('button', { name: 'Avböj Dora Decline' }).click();
      await requests.getByText('Inga förfrågningar väntar.').waitFor();
      expect(await page.getByRole('cell', { name: 'Dora Decline', exact: true }).count()).toBe(0);

      const invite = page.getByRole('region', { name: 'Bjud in en person' });
      const email = `ivar.${organisation.organisationNumber.replace('-', '')}@region.se`;
      await invite.getByLabel('Namn').fill('Ivar Invited');
      await invite.getByLabel('E-postadress i tjänsten').fill(email);
      await invite.getByLabel('Firmatecknare').check();
      await invite.getByRole('button', { name: 'Skicka inbjudan' }).click();
      await invite.getByText(`Inbjudan är skickad till ${email}.`).waitFor();
      await expectAccessible(page);
      expect(await mailLink(email, 'invitation')).toMatch(/^\/invitations\/.+/);

      await page.getByRole('button', { name: 'Ta bort Mona Member' }).click();
      await page.getByText('Ta bort Mona Member ur organisationen?').waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Ja, ta bort' }).click();
      await page.getByRole('cell', { name: 'Mona Member', exact: true }).waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'Jonas Join', exact: true }).waitFor();

      await page.getByRole('button', { name: `Ta bort ${organisation.admin.name}` }).click();
      await page.getByRole('button', { name: 'Ja, ta bort' }).click();
      await page.getByRole('alert').getByText('Organisationen måste ha minst en administratör kvar.').waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Avbryt' }).click();
      await page.getByRole('cell', { name: organisation.admin.name, exact: true }).waitFor();
    }),
  );

  it('a member asks to join another organisation by its organisationsnummer, sees it waiting, and leaves their own', () =>
    portal.journey('my-organisations', async (page) => {
      const own = await fixtures.organisation({ name: 'Region Hemby', signed: false });
      const other = await fixtures.organisation({ name: 'Region Grannby' });
      const person = await fixtures.member(own, ['orderer'], 'Petra Person');

      await signInAt(page, person.personalNumber, person.name);
      await page.getByRole('link', { name: 'Organisationer' }).first().click();
      await heading(page, 'Mina organisationer');
      await page.getByRole('heading', { level: 2, name: 'Region Hemby' }).waitFor();
      await expectAccessible(page);

      const join = page.getByRole('region', { name: 'Gå med i en organisation till' });
      await join.getByLabel('Organisationsnummer').fill(other.organisationNumber);
      await join.getByRole('button', { name: 'Skicka förfrågan' }).click();
      await join.getByText('Förfrågan är skickad och väntar på godkännande.').waitFor();
      const pending = page.getByRole('region', { name: 'Väntar på godkännande' });
      await pending.getByRole('listitem').filter({ hasText: 'Region Grannby' }).waitFor();
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Lämna Region Hemby' }).click();
      await page.getByText('Lämna Region Hemby?').waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Ja, lämna organisationen' }).click();
      await page.getByRole('heading', { level: 2, name: 'Region Hemby' }).waitFor({ state: 'detached' });
      await page.getByText('Du är inte medlem i någon organisation än.').waitFor();
      await pending.getByText('Region Grannby').waitFor();
    }),
  );

  it('confirms the e-mail address from the verification link, signing in with e-ID', () =>
    portal.journey('verify-email', async (page) => {
      const organisation = await fixtures.organisation({ signed: false });
      const person = await fixtures.member(organisation, ['orderer'], 'Edit Epost');

      await page.goto(await mailLink(person.email, 'email-verification'));
      await heading(page, 'Logga in');
      await devSignIn(page, person.personalNumber, person.name);
      await heading(page, 'Bekräfta din e-postadress');
      await page.getByText(`Adressen som bekräftas: ${person.email}`).waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Bekräfta adressen' }).click();
      await page.getByText('E-postadressen är bekräftad.').waitFor();
      await expectAccessible(page);
    }),
  );
});
