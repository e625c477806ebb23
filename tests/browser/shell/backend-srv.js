// A fetch-based BackendSrv: what @grafana/runtime's getBackendSrv() gives a
// plugin inside Grafana, reduced to the behaviour plugins rely on (JSON in
// and out, params serialised like Grafana, FetchError on non-2xx, requestId
// cancelling the previous request with the same id, abortSignal and
// unsubscribe aborting).
import { urlUtil } from '@grafana/data';
import { Observable, lastValueFrom } from 'rxjs';

/** Creates the BackendSrv the shell installs with setBackendSrv. */
export function createBackendSrv() {
  const inFlight = new Map();

  function fetchObservable(options) {
    return new Observable((subscriber) => {
      const controller = new AbortController();
      if (options.abortSignal) {
        if (options.abortSignal.aborted) {
          controller.abort();
        }
        options.abortSignal.addEventListener('abort', () => controller.abort(), { once: true });
      }
      if (options.requestId) {
        inFlight.get(options.requestId)?.abort();
        inFlight.set(options.requestId, controller);
      }
      let url = options.url;
      const params = options.params && urlUtil.serializeParams(options.params);
      if (params) {
        url += (url.includes('?') ? '&' : '?') + params;
      }
      const headers = { Accept: 'application/json, text/plain, */*', ...(options.headers ?? {}) };
      let body;
      if (options.data !== undefined && options.method !== 'GET') {
        body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
        headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
      }
      fetch(url, { method: options.method ?? 'GET', headers, body, signal: controller.signal })
        .then(async (res) => {
          const text = await res.text();
          let data = text;
          try {
            data = text ? JSON.parse(text) : {};
          } catch {
            // not JSON: keep the text, as Grafana does
          }
          const response = {
            data,
            status: res.status,
            statusText: res.statusText,
            ok: res.ok,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: options,
          };
          if (!res.ok) {
            throw { status: res.status, statusText: res.statusText, data, config: options, isHandled: false };
          }
          subscriber.next(response);
          subscriber.complete();
        })
        .catch((err) => {
          if (controller.signal.aborted) {
            subscriber.error({ cancelled: true, status: -1, statusText: 'Request was aborted', data: {}, config: options });
            return;
          }
          if (err instanceof Error) {
            subscriber.error({ status: 0, statusText: err.message, data: { message: err.message }, config: options });
            return;
          }
          subscriber.error(err);
        })
        .finally(() => {
          if (options.requestId && inFlight.get(options.requestId) === controller) {
            inFlight.delete(options.requestId);
          }
        });
      return () => controller.abort();
    });
  }

  const request = (options) => lastValueFrom(fetchObservable(options)).then((r) => r.data);
  return {
    fetch: fetchObservable,
    request,
    datasourceRequest: (options) => lastValueFrom(fetchObservable(options)),
    get: (url, params, requestId, options) => request({ ...options, url, params, requestId, method: 'GET' }),
    delete: (url, data, options) => request({ ...options, url, data, method: 'DELETE' }),
    post: (url, data, options) => request({ ...options, url, data, method: 'POST' }),
    patch: (url, data, options) => request({ ...options, url, data, method: 'PATCH' }),
    put: (url, data, options) => request({ ...options, url, data, method: 'PUT' }),
    resolveCancelerIfExists: (requestId) => inFlight.get(requestId)?.abort(),
  };
}
