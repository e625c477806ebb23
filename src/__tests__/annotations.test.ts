import { AnnotationQuery, FieldType, createDataFrame } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import { alertFramesToEvents } from '../annotations';
import { makeDataSource } from '../test/datasource';
import { installTemplateSrv } from '../test/fakeTemplateSrv';
import { LocusQuery } from '../types';

const NOW = Date.UTC(2024, 5, 1, 12);

function alertsFrame() {
  return createDataFrame({
    fields: [
      { name: 'time', type: FieldType.time, values: [Date.UTC(2024, 5, 1, 8), Date.UTC(2024, 4, 30, 0)] },
      { name: 'timeEnd', type: FieldType.time, values: [Date.UTC(2024, 5, 1, 9), null] },
      { name: 'title', type: FieldType.string, values: ['Zero Generation · Inverter A', 'Device Fault · Meter'] },
      { name: 'text', type: FieldType.string, values: ['Solar Farm 0001', 'Solar Farm 0002: Ground fault'] },
      { name: 'tags', type: FieldType.other, values: [['Zero Generation', 'High'], 'Device Fault, Low'] },
    ],
  });
}

describe('alert annotations', () => {
  it('maps each alert to a region: title, text and tags; open alerts run to now', () => {
    expect(alertFramesToEvents([alertsFrame()], NOW)).toEqual([
      {
        time: Date.UTC(2024, 5, 1, 8),
        timeEnd: Date.UTC(2024, 5, 1, 9),
        isRegion: true,
        title: 'Zero Generation · Inverter A',
        text: 'Solar Farm 0001',
        tags: ['Zero Generation', 'High'],
      },
      {
        time: Date.UTC(2024, 4, 30, 0),
        timeEnd: NOW,
        isRegion: true,
        title: 'Device Fault · Meter',
        text: 'Solar Farm 0002: Ground fault',
        tags: ['Device Fault', 'Low'],
      },
    ]);
  });

  it('accepts ISO strings and JSON tag arrays, and skips rows without a start and frames without time', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.string, values: ['2024-06-01T00:00:00Z', null] },
        { name: 'tags', type: FieldType.string, values: ['["System Disconnect","Medium"]', ''] },
      ],
    });
    const noTime = createDataFrame({ fields: [{ name: 'title', type: FieldType.string, values: ['x'] }] });
    expect(alertFramesToEvents([frame, noTime], NOW)).toEqual([
      {
        time: Date.UTC(2024, 5, 1),
        timeEnd: NOW,
        isRegion: true,
        title: '',
        text: '',
        tags: ['System Disconnect', 'Medium'],
      },
    ]);
  });

  it('turns any stored annotation into an alerts query and skips incomplete ones', async () => {
    installTemplateSrv([]);
    const ds = makeDataSource();
    const support = ds.annotations!;
    const legacy = support.prepareAnnotation!({
      name: 'Alerts',
      enable: true,
      iconColor: 'red',
    } as unknown as AnnotationQuery<LocusQuery>);
    expect(legacy.target).toMatchObject({ queryType: 'alerts', scope: 'partner' });
    expect(support.prepareQuery!(legacy)).toMatchObject({ queryType: 'alerts', scope: 'partner' });
    const incomplete = {
      ...legacy,
      target: { refId: 'Anno', queryType: 'alerts', scope: 'site' },
    } as AnnotationQuery<LocusQuery>;
    expect(support.prepareQuery!(incomplete)).toBeUndefined();
    const events = await lastValueFrom(support.processEvents!(legacy, [alertsFrame()]));
    expect(events).toHaveLength(2);
    expect(events![0].tags).toEqual(['Zero Generation', 'High']);
  });
});
