/** A one-line, readable summary of a query, used by Grafana's query history. */
import { SummaryWords, descriptorOf, isQueryType } from './queryTypes';
import { LocusQuery } from './types';

/** NameOf names a client, site or component by id when it is known (LocusResources.nameOf). */
export type NameOf = (kind: 'client' | 'site' | 'component', id: string) => string | undefined;

/**
 * queryDisplayText summarises a query: type, then its type's summary (target,
 * fields and options), then the legend. Entities read by name when nameOf
 * knows them ("site Solar Farm 0042"), by id otherwise ("site #1041"), and a
 * missing one says so ("no site chosen").
 */
export function queryDisplayText(q: LocusQuery, nameOf: NameOf = () => undefined): string {
  const say: SummaryWords = {
    entity: (kind, value) => {
      if (!value) {
        return `no ${kind} chosen`;
      }
      const names = value.split(',').map((v) => v.trim());
      const shown = names.map((id) => (/^\d+$/.test(id) ? (nameOf(kind, id) ?? `#${id}`) : id));
      return `${kind}${shown.length > 1 ? 's' : ''} ${shown.join(', ')}`;
    },
    fields: (fields) => (fields?.length ? fields.join(', ') : 'no fields'),
  };
  const parts = isQueryType(q.queryType)
    ? [descriptorOf(q.queryType).label, ...descriptorOf(q.queryType).summary(q, say)]
    : [String(q.queryType)];
  if (q.alias) {
    parts.push(`legend "${q.alias}"`);
  }
  return parts.join(' · ');
}
