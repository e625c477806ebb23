import { acceptableEntityValue, isIdList } from '../components/pickers/variableOptions';

describe('entity picker values', () => {
  it.each([
    ['3458', true],
    ['3458,3459', true],
    [' 3458 , 3459 ', true],
    ['$site', true],
    ['${site:csv}', true],
    [undefined, true],
    ['Inverter 1', false],
    ['Albuquerque Home 9', false],
    ['12a', false],
    ['1,,2', false],
  ])('%p is acceptable: %p', (value, want) => {
    expect(acceptableEntityValue(value)).toBe(want);
  });

  it('tells id lists from names', () => {
    expect(isIdList('1,2,3')).toBe(true);
    expect(isIdList('-1')).toBe(false);
  });
});
