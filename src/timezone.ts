/** resolveDashboardZone turns Grafana's dashboard zone ('browser', 'utc', '' or IANA) into an IANA name. */
export function resolveDashboardZone(tz: string | undefined): string {
  if (!tz || tz === 'browser') {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  }
  if (tz.toLowerCase() === 'utc') {
    return 'UTC';
  }
  return tz;
}
