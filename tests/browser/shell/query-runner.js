// Runs a panel's query the way Grafana's PanelQueryRunner does: filterQuery,
// interval from the range and maxDataPoints, one request id (a new run
// cancels the previous one), DataSourceWithBackend.query, and PanelData out.
import { CoreApp, LoadingState, rangeUtil } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

/** MAX_DATA_POINTS is the panel width stand-in. */
export const MAX_DATA_POINTS = 600;

/** createQueryRunner returns {setQuery, latest, run, dispose}; onData receives PanelData. */
export function createQueryRunner(datasource, onData) {
  let latest;
  let subscription;

  const run = (range) => {
    subscription?.unsubscribe();
    const query = latest;
    const { interval, intervalMs } = rangeUtil.calculateInterval(range, MAX_DATA_POINTS);
    getTemplateSrv().updateTimeRange(range);
    const request = {
      requestId: 'browser-host-A',
      app: CoreApp.PanelEditor,
      dashboardUID: 'browser-host',
      panelId: 1,
      panelPluginId: 'timeseries',
      interval,
      intervalMs,
      maxDataPoints: MAX_DATA_POINTS,
      range,
      rangeRaw: range.raw,
      scopedVars: {},
      targets: [query].filter((q) => (datasource.filterQuery ? datasource.filterQuery(q) : true)),
      timezone: 'browser',
      startTime: Date.now(),
    };
    if (request.targets.length === 0) {
      onData({ state: LoadingState.Done, series: [], errors: [], timeRange: range, request });
      return;
    }
    onData({ state: LoadingState.Loading, series: [], timeRange: range, request });
    subscription = datasource.query(request).subscribe({
      next: (res) => {
        const errors = res.errors ?? (res.error ? [res.error] : []);
        onData({ state: errors.length ? LoadingState.Error : LoadingState.Done, series: res.data ?? [], errors, timeRange: range, request });
      },
      error: (err) => onData({ state: LoadingState.Error, series: [], errors: [err], timeRange: range, request }),
    });
  };

  return {
    setQuery: (q) => {
      latest = q;
    },
    latest: () => latest,
    run,
    dispose: () => subscription?.unsubscribe(),
  };
}
