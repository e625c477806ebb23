import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { selectors } from '../../selectors';
import { dataSourceSettings } from '../../test/settings';
import { LocusDataSourceOptions } from '../../types';
import { ConfigEditor } from '../ConfigEditor';
import { validateLeaseSeconds, validateSharedStateUrl } from '../configValidation';

const s = selectors.config;

function setup(jsonData: LocusDataSourceOptions = {}) {
  const onOptionsChange = jest.fn();
  const options = { ...dataSourceSettings({ demoMode: true, ...jsonData }), secureJsonData: {} };
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return onOptionsChange;
}

describe('Several Grafana replicas section', () => {
  it('is open with the URL when one is set and names a password in the URL as the problem', async () => {
    setup({ sharedStateUrl: 'redis://:hunter2@redis:6379/0' });
    const input = await screen.findByLabelText(s.sharedStateUrl.label, { exact: false });
    expect(input).toHaveValue('redis://:hunter2@redis:6379/0');
    expect(screen.getByText(/must not contain a password: put it in Shared state password/)).toBeInTheDocument();
    expect(screen.getByLabelText(s.sharedStatePassword.label, { exact: false })).toBeInTheDocument();
  });

  it('stores a typed URL in jsonData and a lease as a number', async () => {
    const onChange = setup({ sharedStateUrl: 'redis://old:6379/0' });
    const url = await screen.findByLabelText(s.sharedStateUrl.label, { exact: false });
    // The editor is controlled by Grafana's options: one change event carries the new text.
    fireEvent.change(url, { target: { value: ' x ' } });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ sharedStateUrl: 'x' }) })
    );
    fireEvent.change(screen.getByLabelText(s.sharedStateLease.label, { exact: false }), { target: { value: '9' } });
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ sharedStateLeaseSeconds: 9 }) })
    );
    expect(screen.queryByText(/is out of range/)).toBeNull();
    fireEvent.change(screen.getByLabelText(s.sharedStateLease.label, { exact: false }), { target: { value: '1' } });
    expect(screen.getByText(/"1" is out of range: use a whole number of seconds from 2 to 300/)).toBeDefined();
  });
});

/** expectVerdict expects no error when want is undefined, else an error matching want. */
function expectVerdict(got: string | undefined, want: RegExp | undefined) {
  if (want === undefined) {
    expect(got).toBeUndefined();
  } else {
    expect(got).toMatch(want);
  }
}

describe('shared state validation mirrors the backend', () => {
  it.each([
    ['', undefined],
    ['redis://redis:6379/0', undefined],
    ['rediss://cache.example.com:6380/2', undefined],
    ['http://redis:6379', /Scheme "http" is not supported/],
    ['redis://user:pw@redis:6379/0', /must not contain a password/],
    ['not a url', /not a Redis URL/],
  ])('URL %p', (url, want) => expectVerdict(validateSharedStateUrl(url), want));

  it.each([
    ['', undefined],
    ['15', undefined],
    ['2', undefined],
    ['300', undefined],
    ['1', /from 2 to 300/],
    ['301', /from 2 to 300/],
    ['1.5', /from 2 to 300/],
  ])('lease %p', (lease, want) => expectVerdict(validateLeaseSeconds(lease), want));
});
