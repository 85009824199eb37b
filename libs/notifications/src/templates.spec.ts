import { LANGUAGES } from '@kundportal/kernel';
import { templates } from './templates';

/** Every field any template takes, so each can be rendered here without knowing its own shape. */
const SAMPLE = {
  name: 'Anna Andersson',
  organisationName: 'Region Norrland',
  organisationId: '0190f0e0-0000-7000-8000-000000000001',
  link: 'https://portal.example/x',
  action: 'attest',
  customerOrganisationName: 'Region Norrland',
  offeringName: 'Webcert Fristående',
  submittedBy: 'Olle Orderer',
  reason: 'Fel antal vårdenheter',
  rejectedBy: 'Agnes Attestant',
  instructions: 'Anslut via HSA.',
  viaAgent: true,
  number: 'K-1001',
  subject: 'Inloggning',
  body: 'Prova igen nu.',
  author: 'Stina Support',
  email: 'anna@region.se',
  resetToken: 'reset-token',
  expiresAt: '2026-12-05T12:00:00.000Z',
  username: 'anna.a',
  verificationToken: 'verification-token',
  agentOrganisationName: 'Inera AB',
  withdrawnBy: 'Olle Orderer',
  organisationNumber: '232100-0131',
  requesterName: 'Rut Requester',
  requesterEmail: 'rut@region.se',
  roles: ['orderer', 'attestant'],
  invitedBy: 'Ada Administrator',
  invitationToken: 'invitation-token',
};

type AnyTemplate = (data: typeof SAMPLE, language?: (typeof LANGUAGES)[number]) => { template: string; subject: string; text: string; data: unknown };
const all = Object.entries(templates as unknown as Record<string, AnyTemplate>);

describe('e-mail templates', () => {
  it.each(all)('%s: a whole text in each language, the same template name and data in both', (_name, render) => {
    const [sv, en] = LANGUAGES.map((language) => render(SAMPLE, language));
    for (const mail of [sv, en]) {
      expect(mail.subject).not.toMatch(/\{\{|\}\}|^mail:|\.subject$/);
      expect(mail.text).not.toMatch(/\{\{|\}\}|\.text$/);
      expect(mail.text).toContain(SAMPLE.name);
    }
    expect(sv.text.startsWith(`Hej ${SAMPLE.name},`)).toBe(true);
    expect(en.text.startsWith(`Hello ${SAMPLE.name},`)).toBe(true);
    expect(sv.subject).not.toBe(en.subject);
    expect(sv.template).toBe(en.template);
    expect(sv.data).toEqual(en.data);
    expect(render(SAMPLE)).toEqual(sv);
  });

  it('says what the data says, in Swedish', () => {
    const fulfilled = templates.orderFulfilled({ ...SAMPLE, viaAgent: true });
    expect(fulfilled.text).toContain('Den tekniska anslutningen kan börja.');
    expect(templates.orderFulfilled({ ...SAMPLE, viaAgent: false }).text).not.toContain('tekniska anslutningen');
    expect(templates.orderAwaitsYou({ ...SAMPLE, action: 'approve' })).toMatchObject({ template: 'order-to-approve', subject: expect.stringContaining('godkännande') });
    expect(templates.orderAwaitsYou({ ...SAMPLE, action: 'attest' }, 'en')).toMatchObject({ template: 'order-to-attest', subject: expect.stringContaining('attestation') });
    expect(templates.ticketReply({ ...SAMPLE, link: null }).text).toContain('ange ärendenummer K-1001');
    expect(templates.ticketReply({ ...SAMPLE, link: 'https://portal.example/tickets/1' }, 'en').text).toContain('Read and answer it in the portal: https://portal.example/tickets/1');
    // Plain text: nothing is HTML-escaped.
    expect(templates.ticketReply({ ...SAMPLE, body: 'a < b & "c"' }).text).toContain('a < b & "c"');
  });
});

describe('e-mail templates of membership and orders', () => {
  it('names roles in the recipient’s language and leaves out what was not given', () => {
    const approved = (language: 'sv' | 'en', roles: string[]) =>
      templates.joinRequestApproved({ name: 'Anna', organisationName: 'Region Norrland', roles, link: 'https://portal.example/o' }, language).text;
    expect(approved('sv', ['orderer', 'attestant'])).toContain('Dina roller: beställare, attestant.');
    expect(approved('en', ['orderer'])).toContain('Your roles: orderer.');
    expect(approved('sv', [])).not.toContain('roller');
    const withdrawn = (reason: string | null) =>
      templates.orderWithdrawn({ name: 'Anna', customerOrganisationName: 'Region Norrland', offeringName: 'Webcert', withdrawnBy: 'Olle', reason, link: 'https://portal.example/x' }, 'sv').text;
    expect(withdrawn('Fel beställt')).toContain('Skäl: Fel beställt\nhttps://portal.example/x');
    expect(withdrawn(null)).not.toContain('Skäl');
    const invitation = templates.invitation(
      { name: 'Anna', organisationName: 'Region Norrland', invitedBy: 'Ada', roles: ['administrator'], invitationToken: 't', link: 'https://portal.example/i', expiresAt: '2026-12-19' },
      'sv',
    );
    expect(invitation.text).toContain('i Kundportalen som administratör.');
    expect(invitation.data).toMatchObject({ roles: ['administrator'] });
  });
});
