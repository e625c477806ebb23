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

/** NameOf names a client, site or component by id when it is known (LocusResources.nameOf). */
export type NameOf = (kind: 'client' | 'site' | 'component', id: string) => string | undefined;

/**
 * queryDisplayText summarises a query: type, target, fields and options.
 * Entities read by name when nameOf knows them ("site Solar Farm 0042"), by
 * id otherwise ("site #1041"), and a missing one says so ("no site chosen").
 */
export function queryDisplayText(q: LocusQuery, nameOf: NameOf = () => undefined): string {
  const parts: string[] = [TYPE_LABELS[q.queryType] ?? q.queryType];
  const entity = (kind: 'client' | 'site' | 'component', value: string | undefined) => {
    if (!value) {
      return `no ${kind} chosen`;
    }
    const names = value.split(',').map((v) => v.trim());
    const shown = names.map((id) => (/^\d+$/.test(id) ? (nameOf(kind, id) ?? `#${id}`) : id));
    return `${kind}${shown.length > 1 ? 's' : ''} ${shown.join(', ')}`;
  };
  switch (q.queryType) {
    case 'timeseries': {
      const component = q.entityType === 'component';
      parts.push(component ? entity('component', q.componentId) : entity('site', q.siteId));
      parts.push(fieldsText(q.fields));
      parts.push(`granularity ${q.granularity || 'auto'}`);
      const tz = q.timeZoneMode ?? 'site';
      parts.push(tz === 'named' ? `zone ${q.timeZone || 'not chosen'}` : `zone ${ZONE_LABELS[tz] ?? tz}`);
      break;
    }
    case 'latest':
      parts.push(entity('component', q.componentId), fieldsText(q.fields));
      break;
    case 'bulk':
      parts.push(fieldsText(q.fields), q.format ?? 'table');
      if (q.clientId) {
        parts.push(entity('client', q.clientId));
      }
      if (q.latestMonthOnly) {
        parts.push('latest month');
      }
      break;
    case 'alerts': {
      const scope = q.scope ?? 'partner';
      parts.push(
        scope === 'site'
          ? entity('site', q.siteId)
          : scope === 'component'
            ? entity('component', q.componentId)
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
        parts.push(entity('client', q.clientId));
      }
      if (q.siteId) {
        parts.push(entity('site', q.siteId));
      }
      if (q.componentId) {
        parts.push(entity('component', q.componentId));
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
    parts.push(`legend "${q.alias}"`);
  }
  return parts.join(' · ');
}

const ZONE_LABELS: Record<string, string> = { site: 'site local', dashboard: 'dashboard', utc: 'UTC' };

function fieldsText(fields: string[] | undefined): string {
  return fields?.length ? fields.join(', ') : 'no fields';
}
