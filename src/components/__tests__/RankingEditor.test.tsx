import { fireEvent, screen, within } from '@testing-library/react';

import { selectors } from '../../selectors';
import { renderQueryEditor } from '../../test/harness';

const radio = (groupTestId: string, label: string) => within(screen.getByTestId(groupTestId)).getByLabelText(label);

describe('RankingEditor', () => {
  it('is a query type; writes per-site and a valid daylight threshold, refusing an invalid one', async () => {
    const { last } = renderQueryEditor({ refId: 'A', queryType: 'timeseries', siteId: '1000', fields: [] });
    fireEvent.click(radio(selectors.query.queryType.testId, 'Fleet ranking'));
    expect(last()).toMatchObject({ queryType: 'ranking' });
    expect(screen.queryByTestId(selectors.query.missing)).not.toBeInTheDocument();

    fireEvent.click(screen.getByLabelText(selectors.query.perSite.label));
    expect(last()).toMatchObject({ queryType: 'ranking', perSite: true });

    const threshold = screen.getByLabelText(
      new RegExp('^' + selectors.query.availabilityThreshold.label.replace(/[()/²]/g, '.'))
    );
    fireEvent.change(threshold, { target: { value: '-5' } });
    fireEvent.blur(threshold);
    expect(last()).not.toHaveProperty('availabilityThreshold', -5);
    expect(screen.getByText('Give an irradiance between 0 and 1500 W/m²')).toBeInTheDocument();
    fireEvent.change(threshold, { target: { value: '80' } });
    fireEvent.blur(threshold);
    expect(last()).toMatchObject({ queryType: 'ranking', perSite: true, availabilityThreshold: 80 });
  });
});
