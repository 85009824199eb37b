import { DEFAULT_PRIVATE_EMAIL_DOMAINS } from '@kundportal/kernel';
import { isPrivateEmail } from './registration.handlers';

const LISTED = ['gmail.com', 'hotmail.se', 'outlook.com'];

describe('isPrivateEmail', () => {
  it.each(['kim@gmail.com', 'kim@hotmail.se', 'kim.svensson@outlook.com'])('refuses a listed domain: %s', (email) => {
    expect(isPrivateEmail(email, LISTED)).toBe(true);
  });

  it.each(['kim@mail.gmail.com', 'kim@a.b.hotmail.se'])('refuses a subdomain of a listed domain: %s', (email) => {
    expect(isPrivateEmail(email, LISTED)).toBe(true);
  });

  it.each(['Kim@GMAIL.COM', 'kim@Hotmail.Se', 'kim@Mail.GMail.com'])('ignores case: %s', (email) => {
    expect(isPrivateEmail(email, LISTED)).toBe(true);
  });

  it.each([
    'kim@skola.se',
    'kim@notgmail.com', // ends with the name but is another domain
    'kim@gmail.com.skola.se', // the listed domain as a subdomain of an employer's
    'kim@gmail.co',
    'kim@hotmail.com', // not in this list
  ])('lets an employer’s domain through: %s', (email) => {
    expect(isPrivateEmail(email, LISTED)).toBe(false);
  });

  it('looks only at the part after the last @', () => {
    expect(isPrivateEmail('"kim@skola.se"@gmail.com', LISTED)).toBe(true);
    expect(isPrivateEmail('"kim@gmail.com"@skola.se', LISTED)).toBe(false);
  });

  it('refuses nothing with an empty list', () => {
    expect(isPrivateEmail('kim@gmail.com', [])).toBe(false);
  });

  it('the default list covers the seed’s examples (gmail, hotmail, outlook) including the Swedish ones', () => {
    for (const email of ['a@gmail.com', 'a@hotmail.com', 'a@hotmail.se', 'a@outlook.com', 'a@outlook.se']) {
      expect(isPrivateEmail(email, DEFAULT_PRIVATE_EMAIL_DOMAINS)).toBe(true);
    }
    expect(isPrivateEmail('a@skola.se', DEFAULT_PRIVATE_EMAIL_DOMAINS)).toBe(false);
  });
});
