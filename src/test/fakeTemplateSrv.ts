/**
 * A TemplateSrv with Grafana's documented interpolation semantics for the
 * syntaxes and formats the plugin uses ($var, ${var}, ${var:format}, [[var]];
 * csv and the default glob format; "All" expands to every option unless a custom
 * all value is set). Installed with setTemplateSrv.
 */
import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv, setTemplateSrv } from '@grafana/runtime';

/** TestVariable describes one dashboard variable. */
export interface TestVariable {
  name: string;
  /** The current value; '$__all' for All. */
  current: string | string[];
  options?: string[];
  allValue?: string;
}

const VAR_RE = /\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]/g;

/** installTemplateSrv installs variables and returns the service. */
export function installTemplateSrv(vars: TestVariable[] = []): TemplateSrv {
  const byName = new Map(vars.map((v) => [v.name, v]));
  const resolve = (name: string, scopedVars?: ScopedVars): string | string[] | undefined => {
    const scoped = scopedVars?.[name];
    if (scoped) {
      return scoped.value as string | string[];
    }
    const v = byName.get(name);
    if (!v) {
      return undefined;
    }
    const current = v.current;
    if (current === '$__all' || (Array.isArray(current) && current.includes('$__all'))) {
      return v.allValue ?? v.options ?? [];
    }
    return current;
  };
  const format = (value: string | string[], fmt?: string): string => {
    if (!Array.isArray(value)) {
      return value;
    }
    if (fmt === 'csv') {
      return value.join(',');
    }
    if (fmt === 'pipe') {
      return value.join('|');
    }
    return value.length === 1 ? value[0] : `{${value.join(',')}}`;
  };
  const srv: TemplateSrv = {
    getVariables: () => vars.map((v) => ({ name: v.name, type: 'custom' }) as unknown as TypedVariableModel),
    replace: (target?: string, scopedVars?: ScopedVars, fmt?: string | Function) => {
      if (!target) {
        return target ?? '';
      }
      return target.replace(VAR_RE, (match, a, b, inlineFmt, c) => {
        const value = resolve(a ?? b ?? c, scopedVars);
        if (value === undefined) {
          return match;
        }
        return format(value, inlineFmt ?? (typeof fmt === 'string' ? fmt : undefined));
      });
    },
    containsTemplate: (target?: string) => !!target && new RegExp(VAR_RE.source).test(target),
    updateTimeRange: () => {},
  };
  setTemplateSrv(srv);
  return srv;
}
