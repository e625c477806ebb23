import { fireEvent, screen } from '@testing-library/react';
import React from 'react';

import { selectors } from '../../selectors';
import { renderControlled } from '../../test/controlled';
import { Settings, dataSourceSettings } from '../../test/settings';
import { ConfigEditor } from '../ConfigEditor';

const settings = dataSourceSettings;

function renderConfig(initial: Settings) {
  return renderControlled(initial, (options, onOptionsChange) => (
    <ConfigEditor options={options} onOptionsChange={onOptionsChange} />
  ));
}

const s = selectors.config;
const byId = (id: string) => document.getElementById(id) as HTMLInputElement;

describe('ConfigEditor', () => {
  it('writes connection and password-grant settings, secrets only to secureJsonData', () => {
    const { last } = renderConfig(settings());
    fireEvent.change(byId(s.baseUrl.id), { target: { value: 'https://api.example.com' } });
    fireEvent.change(byId(s.partnerId.id), { target: { value: '4242' } });
    fireEvent.change(byId(s.username.id), { target: { value: 'asset.manager' } });
    fireEvent.change(byId(s.password.id), { target: { value: 'pw-secret' } });
    fireEvent.change(byId(s.clientId.id), { target: { value: 'client-1' } });
    fireEvent.change(byId(s.clientSecret.id), { target: { value: 'cs-secret' } });
    const saved = last();
    expect(saved.jsonData).toEqual({
      baseUrl: 'https://api.example.com',
      partnerId: 4242,
      username: 'asset.manager',
      clientId: 'client-1',
    });
    expect(saved.secureJsonData).toEqual({ password: 'pw-secret', clientSecret: 'cs-secret' });
    expect(JSON.stringify(saved.jsonData)).not.toContain('secret');
  });

  it('shows required messages after a field is visited and wrong values at once', () => {
    renderConfig(settings());
    expect(screen.queryByText(/Partner ID is required/)).not.toBeInTheDocument();
    fireEvent.blur(byId(s.partnerId.id));
    fireEvent.blur(byId(s.clientSecret.id));
    expect(
      screen.getByText('Partner ID is required: enter your Locus partner ID (a positive integer such as 4242)')
    ).toBeInTheDocument();
    expect(
      screen.getByText('Client secret is required: enter the API client secret Locus issued to you')
    ).toBeInTheDocument();
    fireEvent.change(byId(s.partnerId.id), { target: { value: '42x' } });
    expect(screen.getByText('"42x" is not valid: use a positive integer such as 4242')).toBeInTheDocument();
    fireEvent.change(byId(s.baseUrl.id), { target: { value: 'http://api.example.com' } });
    expect(screen.getByText(/Plain http is only allowed for a loopback host/)).toBeInTheDocument();
    fireEvent.change(byId(s.baseUrl.id), { target: { value: 'http://127.0.0.1:8080' } });
    expect(screen.queryByText(/Plain http is only allowed/)).not.toBeInTheDocument();
  });

  it('validates the advanced limits and explains the default of one request in flight', () => {
    renderConfig(settings({ maxConcurrentRequests: 1 }));
    expect(screen.getByText(/Locus allows ONE request in flight per account by default/)).toBeInTheDocument();
    fireEvent.change(byId(s.maxConcurrent.id), { target: { value: '11' } });
    expect(screen.getByText('"11" is out of range: use a whole number from 1 to 10')).toBeInTheDocument();
    fireEvent.change(byId(s.pastDataCache.id), { target: { value: '-5' } });
    expect(
      screen.getByText('"-5" is not valid: use whole seconds from 0 (default) to 2592000 (30 days)')
    ).toBeInTheDocument();
  });

  it('hides username and password for client credentials', () => {
    const { last } = renderConfig(settings());
    fireEvent.click(screen.getByLabelText('Client credentials'));
    expect(last().jsonData.authType).toBe('client_credentials');
    expect(byId(s.username.id)).toBeNull();
    expect(byId(s.password.id)).toBeNull();
    expect(byId(s.clientSecret.id)).not.toBeNull();
  });

  it('shows configured secrets as configured and resets them', () => {
    const { last } = renderConfig(
      settings({ partnerId: 1, clientId: 'c', username: 'u' }, { password: true, clientSecret: true })
    );
    const resets = screen.getAllByRole('button', { name: 'Reset' });
    expect(resets).toHaveLength(2);
    fireEvent.click(resets[1]);
    expect(last().secureJsonFields.clientSecret).toBe(false);
    expect(last().secureJsonData).toEqual({ clientSecret: '' });
  });

  it('gives the partner ID no sample number that could pass for a default', () => {
    renderConfig(settings());
    const partner = byId(s.partnerId.id);
    expect(partner.placeholder).not.toMatch(/\d/);
    expect(screen.getByText('Your Locus partner ID (a number; Locus support can tell you).')).toBeInTheDocument();
  });

  it('demo mode needs no credentials', () => {
    const { last } = renderConfig(settings());
    fireEvent.click(byId(s.demoMode.id));
    expect(last().jsonData.demoMode).toBe(true);
    expect(screen.getByTestId(s.demoNotice)).toHaveTextContent('built-in Locus simulator');
    expect(byId(s.clientId.id)).toBeNull();
    // The connection (base URL, partner ID) is not used in demo mode, so it is hidden, not shown as if it mattered.
    expect(byId(s.baseUrl.id)).toBeNull();
    expect(byId(s.partnerId.id)).toBeNull();
    expect(screen.queryByText(/Partner ID is required/)).not.toBeInTheDocument();
    fireEvent.click(byId(s.demoMode.id));
    expect(last().jsonData.demoMode).toBe(false);
    expect(byId(s.partnerId.id)).not.toBeNull();
  });
});
