/** A one-line, readable summary of a query, used by Grafana's query history. */
import { LocusQuery } from './types';

const TYPE_LABELS: Record<LocusQuery['queryType'], string> = {
  timeseries: 'Time series',
  latest: 'Latest',
  bulk: 'Fleet bulk',
  alerts: 'Alerts',
  metadata: 'Metadata',
  ranking: 'Fleet ranking',
};

/** queryDisplayText summarises a query: type, target, fields and options. */
export function queryDisplayText(q: LocusQuery): string {
  const parts: string[] = [TYPE_LABELS[q.queryType] ?? q.queryType];
  switch (q.queryType) {
    case 'timeseries': {
      const component = q.entityType === 'component';
      parts.push(component ? `component ${q.componentId || '?'}` : `site ${q.siteId || '?'}`);
      parts.push(fieldsText(q.fields));
      parts.push(`granularity ${q.granularity || 'auto'}`);
      const tz = q.timeZoneMode ?? 'site';
      parts.push(tz === 'named' ? `tz ${q.timeZone || '?'}` : `tz ${tz}`);
      break;
    }
    case 'latest':
      parts.push(`component ${q.componentId || '?'}`, fieldsText(q.fields));
      break;
    case 'bulk':
      parts.push(fieldsText(q.fields), q.format ?? 'table');
      if (q.clientId) {
        parts.push(`client ${q.clientId}`);
      }
      if (q.latestMonthOnly) {
        parts.push('latest month');
      }
      break;
    case 'alerts': {
      const scope = q.scope ?? 'partner';
      parts.push(
        scope === 'site'
          ? `site ${q.siteId || '?'}`
          : scope === 'component'
            ? `component ${q.componentId || '?'}`
            : 'partner'
      );
      if (q.alertTypes?.length) {
        parts.push(q.alertTypes.join(', '));
      }
      if (q.priorities?.length) {
        parts.push(`priority ${q.priorities.join(', ')}`);
      }
      if (q.status) {
        parts.push(q.status);
      }
      break;
    }
    case 'metadata':
      parts.push(q.kind);
      if (q.clientId) {
        parts.push(`client ${q.clientId}`);
      }
      if (q.siteId) {
        parts.push(`site ${q.siteId}`);
      }
      if (q.componentId) {
        parts.push(`component ${q.componentId}`);
      }
      if (q.nodeType) {
        parts.push(q.nodeType);
      }
      break;
    case 'ranking':
      parts.push(q.siteId ? `sites ${q.siteId}` : q.clientId ? `client ${q.clientId}` : 'partner');
      if (q.perSite) {
        parts.push('per-site');
      }
      break;
  }
  if (q.alias) {
    parts.push(`alias "${q.alias}"`);
  }
  return parts.join(' · ');
}

function fieldsText(fields: string[] | undefined): string {
  return fields?.length ? fields.join(', ') : 'no fields';
}
