import { OrganisationFixtures } from '../support/organisation-fixtures';
import { testPersonalNumber } from '../support/swedish-ids';
import { describeInBrowser, devSignIn, expectAccessible, heading, PortalBrowser } from './support/portal-browser';

describeInBrowser('Tickets in the portal', () => {
  let portal: PortalBrowser;
  let staff: string;
  let fixtures: OrganisationFixtures;

  beforeAll(async () => {
    portal = await PortalBrowser.start();
    staff = await portal.api.signIn(testPersonalNumber(), { staff: true, name: 'Stina Support' });
    fixtures = new OrganisationFixtures(portal.api, staff);
  }, 60_000);

  afterAll(async () => {
    await portal?.stop();
  });

  it('opens a ticket, finds it in the list, gets a reply shown unread, answers, attaches a file and closes it', () =>
    portal.journey('ticket', async (page) => {
      const organisation = await fixtures.organisation();
      const person = await fixtures.member(organisation, ['orderer'], 'Tove Ticket');
      const colleague = await fixtures.member(organisation, [], 'Kalle Kollega');

      await page.goto('/tickets');
      await heading(page, 'Logga in');
      await devSignIn(page, person.personalNumber, person.name);
      await heading(page, 'Mina ärenden');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Nytt ärende' }).click();
      await heading(page, 'Nytt ärende');
      await page.getByLabel('Felanmälan').check();
      await page.getByLabel('Rubrik').fill('Intyget går inte att skriva ut');
      await page.getByLabel('Beskrivning').fill('Utskriften blir tom sedan i morse.');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Skicka ärendet' }).click();
      await page.getByRole('heading', { level: 1, name: /Intyget går inte att skriva ut/ }).waitFor();
      const ticketId = new URL(page.url()).pathname.split('/').pop() as string;
      await expectAccessible(page);
      const { createdAt } = (await portal.api.get(`/tickets/${ticketId}`, staff)).body as { createdAt: string };
      const stockholm = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Stockholm' }).format(new Date(createdAt));
      expect(await page.getByTestId('ticket-created').textContent()).toBe(stockholm);

      // A colleague joins the ticket, picked among the organisation's members.
      await page.getByLabel('Lägg till medverkande').selectOption({ label: colleague.name });
      await page.getByRole('button', { name: 'Lägg till', exact: true }).click();
      await page.getByRole('definition').filter({ hasText: colleague.name }).waitFor();
      await expectAccessible(page);

      await page.getByRole('link', { name: 'Tillbaka till ärendena' }).click();
      await heading(page, 'Mina ärenden');
      const row = page.getByRole('row', { name: /Intyget går inte att skriva ut/ });
      await row.waitFor();
      expect(await row.getByText('Oläst').count()).toBe(0);

      // Support answers: the ticket turns unread and the notice badge appears.
      expect((await portal.api.post(`/tickets/${ticketId}/messages`, { body: 'Vi tittar på det. Vilken webbläsare?' }, staff)).status).toBe(201);
      await page.goto('/tickets', { waitUntil: 'load' });
      await heading(page, 'Mina ärenden');
      await row.getByText('Oläst').waitFor();
      await page.getByTestId('notice-badge').waitFor();
      await expectAccessible(page);
      await row.getByRole('link', { name: /Intyget går inte att skriva ut/ }).click();
      await page.getByText('Vi tittar på det. Vilken webbläsare?').waitFor();

      await page.getByRole('textbox', { name: 'Meddelande' }).fill('Chrome, senaste versionen.');
      // Read-your-writes: the reads after the reply carry its position as X-Min-Position.
      const replied = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/tickets/${ticketId}/messages`));
      const reread = page.waitForRequest((r) => r.method() === 'GET' && r.url().endsWith(`/tickets/${ticketId}`));
      await page.getByRole('button', { name: 'Skicka svaret' }).click();
      const { position } = (await (await replied).json()) as { position: string };
      expect((await reread).headers()['x-min-position']).toBe(position);
      await page.getByText('Chrome, senaste versionen.').first().waitFor();
      expect(await page.getByRole('textbox', { name: 'Meddelande' }).inputValue()).toBe('');

      await page.getByLabel('Bifoga en fil').setInputFiles({ name: 'skarmbild.txt', mimeType: 'text/plain', buffer: Buffer.from('tom utskrift') });
      await page.getByRole('button', { name: 'skarmbild.txt' }).waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'skarmbild.txt' }).click()]);
      expect(download.suggestedFilename()).toBe('skarmbild.txt');
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Stäng ärendet' }).click();
      await page.getByText('Stängt', { exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Skicka svaret' }).count()).toBe(0);

      // Read: the badge is gone again.
      await page.getByRole('link', { name: 'Start', exact: true }).click();
      await page.getByText('Inget väntar på dig just nu.').waitFor();
      expect(await page.getByTestId('notice-badge').count()).toBe(0);
      await expectAccessible(page);
    }),
  );

  it('pages through a long ticket list, twenty at a time', () =>
    portal.journey('ticket-paging', async (page) => {
      const organisation = await fixtures.organisation();
      const person = await fixtures.member(organisation, [], 'Pia Paging');
      for (let n = 1; n <= 21; n++) {
        const created = await portal.api.post('/tickets', { type: 'question', subject: `Fråga ${n}`, description: 'D' }, person.token);
        expect(created.status).toBe(201);
      }
      await page.goto('/tickets');
      await devSignIn(page, person.personalNumber, person.name);
      await heading(page, 'Mina ärenden');
      await page.getByText('Sida 1 av 2').waitFor();
      expect(await page.getByRole('row').count()).toBe(21);
      await page.getByRole('link', { name: 'Fråga 21', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Nästa' }).click();
      await page.getByText('Sida 2 av 2').waitFor();
      await page.getByRole('link', { name: 'Fråga 1', exact: true }).waitFor();
      expect(await page.getByRole('row').count()).toBe(2);
      expect(await page.getByRole('button', { name: 'Nästa' }).isDisabled()).toBe(true);
      await expectAccessible(page);
      await page.getByLabel('Visa status').selectOption({ label: 'Stängt' });
      await page.getByText('Du har inga ärenden.').waitFor();
      expect(new URL(page.url()).search).toBe('?status=closed');
      await page.getByLabel('Visa status').selectOption({ label: 'Öppet' });
      await page.getByText('Sida 1 av 2').waitFor();
    }),
  );

  it('a visitor sends the open support form and gets the ticket number', () =>
    portal.journey('public-ticket', async (page) => {
      await page.goto('/');
      await page.getByRole('main').getByRole('link', { name: 'Kontakta kundtjänst' }).click();
      await heading(page, 'Kontakta kundtjänst');
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Skicka ärendet' }).click();
      await page.getByRole('alert').waitFor();
      await expectAccessible(page);
      await page.getByLabel('Namn').fill('Vera Visitor');
      await page.getByLabel('E-postadress').fill('vera@example.se');
      await page.getByLabel('Fråga').check();
      await page.getByLabel('Rubrik').fill('Hur blir vi kund?');
      await page.getByLabel('Beskrivning').fill('Vi är en liten kommun.');
      await page.getByRole('button', { name: 'Skicka ärendet' }).click();
      await heading(page, 'Ärendet är mottaget');
      await page.getByText(/Ditt ärende har nummer \S+/).waitFor();
    }),
  );
});
