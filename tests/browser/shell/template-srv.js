// A TemplateSrv with Grafana's variable syntax ($var, ${var}, ${var:format},
// [[var]]), scoped variables first, then the page's dashboard variables, and
// the usual formats for multi-value variables.

const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

function formatValue(value, format, variable) {
  const values = Array.isArray(value) ? value : [value];
  if (typeof format === 'function') {
    return format(value, variable);
  }
  switch (format) {
    case 'csv':
      return values.join(',');
    case 'pipe':
      return values.join('|');
    case 'json':
      return JSON.stringify(value);
    case 'doublequote':
      return values.map((v) => `"${v}"`).join(',');
    case 'singlequote':
      return values.map((v) => `'${v}'`).join(',');
    case 'sqlstring':
      return values.map((v) => `'${String(v).replace(/'/g, "''")}'`).join(',');
    case 'regex':
      return values.length === 1 ? String(values[0]) : `(${values.join('|')})`;
    case 'queryparam':
      return values.map((v) => `var-${variable.name}=${encodeURIComponent(v)}`).join('&');
    case 'raw':
    case 'text':
      return values.join(',');
    default:
      // Grafana's default for multi-value is glob.
      return values.length === 1 ? String(values[0]) : `{${values.join(',')}}`;
  }
}

/** Creates a TemplateSrv over a mutable list of dashboard variables. */
export function createTemplateSrv(variables = []) {
  let timeRange;

  function lookup(name, scopedVars) {
    if (scopedVars && scopedVars[name]) {
      return { name, value: scopedVars[name].value, text: scopedVars[name].text };
    }
    if (name === '__from' && timeRange) {
      return { name, value: String(timeRange.from.valueOf()) };
    }
    if (name === '__to' && timeRange) {
      return { name, value: String(timeRange.to.valueOf()) };
    }
    const v = variables.find((x) => x.name === name);
    if (!v) {
      return undefined;
    }
    let value = v.current?.value;
    if (value === '$__all' || (Array.isArray(value) && value.includes('$__all'))) {
      value = v.options.filter((o) => o.value !== '$__all').map((o) => o.value);
    }
    return { name, value, text: v.current?.text };
  }

  return {
    getVariables: () => variables,
    containsTemplate(target) {
      if (!target) {
        return false;
      }
      VARIABLE_RE.lastIndex = 0;
      for (const m of target.matchAll(VARIABLE_RE)) {
        const name = m[1] || m[2] || m[4];
        if (variables.some((v) => v.name === name) || name.startsWith('__')) {
          return true;
        }
      }
      return false;
    },
    replace(target, scopedVars, format, interpolations) {
      if (!target) {
        return target ?? '';
      }
      return target.replace(VARIABLE_RE, (match, v1, v2, fmt2, v3, fieldPath, fmt3) => {
        const name = v1 || v2 || v3;
        const found = lookup(name, scopedVars);
        if (!found) {
          interpolations?.push({ match, variableName: name, fieldPath, format, value: match, found: false });
          return match;
        }
        const value = formatValue(found.value, fmt2 || fmt3 || format, found);
        interpolations?.push({ match, variableName: name, fieldPath, format, value, found: true });
        return value;
      });
    },
    updateTimeRange(range) {
      timeRange = range;
    },
  };
}

/**
 * variablesFromUrl builds custom dashboard variables from Grafana's URL
 * syntax, ?var-<name>=<value> (repeated for a multi-value selection).
 */
export function variablesFromUrl(search) {
  const byName = new Map();
  for (const [key, value] of new URLSearchParams(search)) {
    if (key.startsWith('var-')) {
      const name = key.slice(4);
      byName.set(name, [...(byName.get(name) ?? []), value]);
    }
  }
  return [...byName.entries()].map(([name, values]) => ({
    type: 'custom',
    name,
    label: name,
    query: values.join(','),
    multi: values.length > 1,
    includeAll: false,
    current: { text: values, value: values.length > 1 ? values : values[0], selected: true },
    options: values.map((v) => ({ text: v, value: v, selected: true })),
  }));
}
