import { testOrganisationNumber, testPersonalNumber } from '../support/swedish-ids';
import { describeInBrowser, devSignIn, expectAccessible, heading, PortalBrowser } from './support/portal-browser';

const PASSWORD = 'Ett långt & bra lösenord 7';

describeInBrowser('Becoming a customer in the portal', () => {
  let portal: PortalBrowser;
  let staff: string;

  beforeAll(async () => {
    portal = await PortalBrowser.start();
    staff = await portal.api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Staff' });
  }, 60_000);

  afterAll(async () => {
    await portal?.stop();
  });

  it('applies in the public form; after staff approve, the signatory signs from the mail link', () =>
    portal.journey('apply-and-sign', async (page) => {
      const organisationNumber = testOrganisationNumber();
      const signatory = { name: 'Sara Signatory', email: `sara.${organisationNumber.replace('-', '')}@region.se`, personalNumber: testPersonalNumber() };

      await page.goto('/');
      await heading(page, 'Välkommen till Kundportalen');
      await expectAccessible(page);
      await page.getByRole('main').getByRole('link', { name: 'Ansök om att bli kund' }).click();
      await heading(page, 'Ansök om att bli kund');
      await expectAccessible(page);

      await page.getByLabel('Organisationens namn').fill('Region Testby');
      await page.getByLabel('Organisationsnummer').fill(organisationNumber);
      const group = (legend: string) => page.getByRole('group', { name: legend });
      await group('Administratör').getByLabel('Namn').fill('Adam Admin');
      await group('Administratör').getByLabel('E-postadress i tjänsten').fill(`adam.${organisationNumber.replace('-', '')}@region.se`);
      await group('Administratör').getByLabel('Personnummer').fill(testPersonalNumber());
      await group('Firmatecknare').getByLabel('Namn').fill(signatory.name);
      await group('Firmatecknare').getByLabel('E-postadress i tjänsten').fill(signatory.email);
      await group('Firmatecknare').getByLabel('Personnummer').fill(signatory.personalNumber);
      await group('Kontaktperson för avtalet').getByLabel('Namn').fill('Karin Kontakt');
      await group('Kontaktperson för avtalet').getByLabel('E-postadress i tjänsten').fill(`karin.${organisationNumber.replace('-', '')}@region.se`);
      await page.getByRole('button', { name: 'Skicka ansökan' }).click();
      await heading(page, 'Ansökan är skickad');
      await expectAccessible(page);

      // Staff approve it through the API.
      const submitted = await portal.api.get('/customer-applications?status=submitted', staff);
      const application = submitted.body.items.find((a: { organisationNumber: string }) => a.organisationNumber === organisationNumber);
      expect(application).toBeDefined();
      expect((await portal.api.post(`/customer-applications/${application.id}/approve`, {}, staff)).status).toBe(200);

      // The signatory opens the link in their mail.
      const link = await mailLink(portal, staff, signatory.email, 'agreement-to-sign');
      await page.goto(link.pathname);
      await heading(page, 'Logga in');
      await devSignIn(page, signatory.personalNumber, signatory.name, 'Freja eID');
      await heading(page, 'Kundavtal');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Underteckna med e-legitimation' }).click();
      await page.getByText('Avtalet är undertecknat').or(page.getByText('Avtalet undertecknades')).first().waitFor();
      await expectAccessible(page);
    }),
  );

  it('registers with a password; once staff approve, signs in with it', () =>
    portal.journey('register-with-password', async (page) => {
      const organisation = await registeredOrganisation(portal, staff);
      const email = `petra.${organisation.replace('-', '')}@region.se`;
      await page.goto('/sign-in');
      await heading(page, 'Logga in');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Registrera dig med lösenord' }).click();
      await heading(page, 'Registrera dig');
      await expectAccessible(page);
      await page.getByLabel('Namn').fill('Petra Password');
      await page.getByLabel('E-postadress i tjänsten').fill('petra@gmail.com');
      await page.getByLabel('Organisationsnummer').fill(organisation);
      await page.getByLabel('Nytt lösenord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Skicka registreringen' }).click();
      // A private address is refused, and said so at the top of the form.
      await page.getByRole('alert').waitFor();
      await expectAccessible(page);
      await page.getByLabel('E-postadress i tjänsten').fill(email);
      await page.getByRole('button', { name: 'Skicka registreringen' }).click();
      await heading(page, 'Registreringen är skickad');

      const pending = await portal.api.get('/registrations?status=pending', staff);
      const registration = pending.body.items.find((r: { email: string }) => r.email === email);
      expect((await portal.api.post(`/registrations/${registration.id}/approve`, {}, staff)).status).toBe(200);

      await page.getByRole('link', { name: 'Logga in' }).first().click();
      await heading(page, 'Logga in');
      await page.getByLabel('E-postadress', { exact: true }).fill(email);
      await page.getByLabel('Lösenord', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await heading(page, 'Välkommen, Petra Password');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Logga ut' }).click();
      await heading(page, 'Välkommen till Kundportalen');

      // Forgotten: a reset link by e-mail, a new password on its page, and sign-in with it.
      await page.getByRole('link', { name: 'Logga in' }).first().click();
      await page.getByRole('link', { name: 'Glömt lösenordet?' }).click();
      await heading(page, 'Glömt lösenordet');
      await page.getByLabel('E-postadress').fill(email);
      await page.getByRole('button', { name: 'Skicka länken' }).click();
      await page.getByText(/Om adressen hör till ett konto/).waitFor();
      const link = await mailLink(portal, staff, email, 'password-reset');
      await page.goto(link.pathname + link.search);
      await heading(page, 'Välj nytt lösenord');
      await expectAccessible(page);
      await page.getByLabel('Nytt lösenord').fill('Ett nytt & bättre lösenord 8');
      await page.getByRole('button', { name: 'Spara lösenordet' }).click();
      await page.getByText('Lösenordet är bytt.').waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Logga in' }).click();
      await page.getByLabel('E-postadress', { exact: true }).fill(email);
      await page.getByLabel('Lösenord', { exact: true }).fill('Ett nytt & bättre lösenord 8');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await heading(page, 'Välkommen, Petra Password');
    }),
  );

  it('verifies an account from the old portal from the mail link, signing in with e-ID', () =>
    portal.journey('verify-legacy-account', async (page) => {
      const organisationNumber = await registeredOrganisation(portal, staff);
      const email = `lars.${organisationNumber.replace('-', '')}@kommun.se`;
      const imported = await portal.api.post(
        '/legacy-accounts',
        { username: `lars${organisationNumber.replace('-', '')}`, name: 'Lars Legacy', email, organisationNumber, roles: ['orderer'] },
        staff,
      );
      expect(imported.status).toBe(201);
      const link = await mailLink(portal, staff, email, 'account-verification');
      await page.goto(link.pathname + link.search);
      await heading(page, 'Logga in');
      const personalNumber = testPersonalNumber();
      await devSignIn(page, personalNumber, 'Lars Legacy');
      await heading(page, 'Bekräfta ditt konto');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Bekräfta kontot' }).click();
      await page.getByText('Kontot är bekräftat och dina roller finns kvar.').waitFor();
      await page.getByRole('link', { name: 'Organisationer' }).click();
      await heading(page, 'Mina organisationer');
      await page.getByRole('cell', { name: 'Lars Legacy' }).waitFor();
      await page.getByText('Beställare').first().waitFor();
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Min profil' }).click();
      await heading(page, 'Min profil');
      await expectAccessible(page);
      await page.getByLabel('English').check();
      await heading(page, 'My profile');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      // The choice is saved with the account: after signing out and back in on Swedish, the portal is English again.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Svenska' }).click();
      await page.goto('/sign-in');
      await heading(page, 'Logga in');
      await devSignIn(page, personalNumber, 'Lars Legacy');
      await page.getByRole('link', { name: 'My profile' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
    }),
  );

  it('a person signed in by e-ID for the first time creates an account in their organisation', () =>
    portal.journey('create-account', async (page) => {
      const organisationNumber = await registeredOrganisation(portal, staff);
      await page.goto('/sign-in');
      await devSignIn(page, testPersonalNumber(), 'Nora Ny');
      await heading(page, 'Välkommen, Nora Ny');
      await page.getByText('Du har inget konto i Kundportalen än.').waitFor();
      await expectAccessible(page);
      await page.getByRole('main').getByRole('link', { name: 'Skapa konto' }).click();
      await heading(page, 'Skapa konto');
      expect(await page.getByLabel('Namn').inputValue()).toBe('Nora Ny');
      await page.getByLabel('E-postadress i tjänsten').fill(`nora.${organisationNumber.replace('-', '')}@kommun.se`);
      await page.getByLabel('Organisationsnummer').fill(organisationNumber);
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Skapa kontot' }).click();
      await heading(page, 'Välkommen, Nora Ny');
      await page.getByRole('heading', { name: /Avisering/ }).waitFor();
      expect(await page.getByText('Du har inget konto i Kundportalen än.').count()).toBe(0);
    }),
  );

  it('works from the keyboard: the skip link comes first and moves focus to the content; each page names itself in the title', () =>
    portal.journey('keyboard', async (page) => {
      await page.goto('/');
      await heading(page, 'Välkommen till Kundportalen');
      expect(await page.title()).toBe('Välkommen till Kundportalen – Kundportalen');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Gå direkt till innehållet');
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement.id')).toBe('main');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Logga in');
      await page.keyboard.press('Enter');
      await heading(page, 'Logga in');
      expect(await page.title()).toBe('Logga in – Kundportalen');
      // The new page's heading has focus, so a screen reader announces it.
      expect(await page.evaluate('document.activeElement.tagName')).toBe('H1');
    }),
  );
});

/** An approved customer organisation, made through the API; answers its organisation number. */
async function registeredOrganisation(portal: PortalBrowser, staff: string): Promise<string> {
  const organisationNumber = testOrganisationNumber();
  const tag = organisationNumber.replace('-', '');
  const submitted = await portal.api.post('/customer-applications', {
    organisationNumber,
    organisationName: `Kommun ${tag}`,
    administrator: { name: 'A', email: `a.${tag}@kommun.se`, personalNumber: testPersonalNumber() },
    signatory: { name: 'S', email: `s.${tag}@kommun.se`, personalNumber: testPersonalNumber() },
    agreementContact: { name: 'K', email: `k.${tag}@kommun.se` },
  });
  expect((await portal.api.post(`/customer-applications/${submitted.body.id}/approve`, {}, staff)).status).toBe(200);
  return organisationNumber;
}

/** The link in the latest e-mail of `template` to `to` (the mail reactor runs behind the log: wait for it). */
async function mailLink(portal: PortalBrowser, staff: string, to: string, template: string): Promise<URL> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const mails = (await portal.api.request('GET', `/dev/outbox?to=${encodeURIComponent(to)}`, { token: staff, minPosition: null })).body.items as Array<{ template: string; data: { link?: string } }>;
    const link = mails.reverse().find((m) => m.template === template)?.data.link;
    if (link) return new URL(link);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${template} mail to ${to}`);
}
