/** The name a series gets when the legend is empty. */
import { FieldInfo } from './types';

/**
 * defaultSeriesName is "<site> <component> <longName> (<aggregation>)", with
 * the source named for Modeled and Expected fields ("(Modeled, avg)"),
 * leaving out the parts that are empty: the same rule as the backend's
 * frames.DefaultDisplayName (pkg/frames/alias.go), so the legend's
 * placeholder reads as the name a series will really get.
 */
export function defaultSeriesName(
  field: Pick<FieldInfo, 'longName' | 'source' | 'aggregation'>,
  siteName?: string,
  componentName?: string
): string {
  const name = [siteName, componentName, field.longName].filter((p) => !!p).join(' ');
  const qualifiers = [
    field.source && field.source.toLowerCase() !== 'measured' ? field.source : '',
    field.aggregation,
  ].filter((q) => !!q);
  return qualifiers.length ? `${name} (${qualifiers.join(', ')})` : name;
}

/** GENERIC_DEFAULT_NAME describes the default name before a site and field are chosen. */
export const GENERIC_DEFAULT_NAME = 'Auto: site component field (source, aggregation)';
