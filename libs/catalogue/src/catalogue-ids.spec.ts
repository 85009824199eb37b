import { candidateServiceIds, isOfferingId, isOfferingIdOf, isServiceId } from './catalogue-ids';

describe('catalogue ids', () => {
  it('service ids are lower-case slugs of at most 40 characters', () => {
    for (const id of ['webcert', 'e-tjanst-1', '1177', 'a'.repeat(40)]) expect(isServiceId(id)).toBe(true);
    for (const id of ['Webcert', 'web cert', 'web_cert', '-a', 'a-', 'a--b', '', 'å', 'a'.repeat(41), 3]) expect(isServiceId(id)).toBe(false);
  });

  it('offering ids have at least two words', () => {
    expect(isOfferingId('webcert-fristaende')).toBe(true);
    expect(isOfferingId('webcert')).toBe(false);
    expect(isOfferingId(`webcert-${'x'.repeat(80)}`)).toBe(false);
  });

  it('an offering id of a service starts with its id and a hyphen', () => {
    expect(isOfferingIdOf('webcert', 'webcert-fristaende')).toBe(true);
    expect(isOfferingIdOf('e-tjanst', 'e-tjanst-bas')).toBe(true);
    expect(isOfferingIdOf('webcert', 'webcertfristaende')).toBe(false);
    expect(isOfferingIdOf('webcert', 'webcert-')).toBe(false);
    expect(isOfferingIdOf('web', 'webcert-fristaende')).toBe(false);
  });

  it('candidate services of an offering id: each whole-word prefix, longest first', () => {
    expect(candidateServiceIds('webcert-fristaende')).toEqual(['webcert']);
    expect(candidateServiceIds('a-b-c-d')).toEqual(['a-b-c', 'a-b', 'a']);
    expect(candidateServiceIds('webcert')).toEqual([]);
    expect(candidateServiceIds('Not a slug')).toEqual([]);
  });

  it('leaves out prefixes too long to be service ids', () => {
    const long = `${'a'.repeat(30)}-${'b'.repeat(20)}-c`;
    expect(candidateServiceIds(long)).toEqual(['a'.repeat(30)]);
  });
});
