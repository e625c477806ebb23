// Loads a plugin's module.js the way Grafana's SystemJS loader does: the file
// is an AMD module, define([...deps], factory), and every dep is a module the
// host page shares (react, @grafana/*, ...) or AMD's own "module"/"exports".

/**
 * Loads an AMD module from url and resolves with its exports.
 * @param {string} url where the module is served
 * @param {Record<string, unknown>} shared modules the page provides, by import name
 */
export function loadAmdModule(url, shared) {
  return new Promise((resolve, reject) => {
    const previous = window.define;
    let captured = null;
    const define = (name, deps, factory) => {
      if (typeof name !== 'string') {
        factory = deps;
        deps = name;
      }
      if (typeof deps === 'function') {
        factory = deps;
        deps = [];
      }
      captured = { deps, factory };
    };
    define.amd = {};
    window.define = define;

    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => {
      window.define = previous;
      reject(new Error(`cannot load ${url}: is the plugin built (dist/module.js)?`));
    };
    script.onload = () => {
      window.define = previous;
      if (!captured) {
        reject(new Error(`${url} did not call define(): Grafana needs an AMD module`));
        return;
      }
      try {
        resolve(instantiate(url, captured, shared));
      } catch (err) {
        reject(err);
      }
    };
    document.head.appendChild(script);
  });
}

function instantiate(url, { deps, factory }, shared) {
  const exportsObject = {};
  const moduleObject = { id: url, uri: new URL(url, window.location.href).href, exports: exportsObject };
  const missing = deps.filter((d) => !['module', 'exports', 'require'].includes(d) && !(d in shared));
  if (missing.length > 0) {
    throw new Error(
      `${url} imports ${missing.join(', ')}, which this Grafana shell does not share; shared: ${Object.keys(shared).join(', ')}`
    );
  }
  const args = deps.map((d) => {
    if (d === 'module') {
      return moduleObject;
    }
    if (d === 'exports') {
      return exportsObject;
    }
    if (d === 'require') {
      return (name) => shared[name];
    }
    return shared[d];
  });
  const result = typeof factory === 'function' ? factory(...args) : factory;
  return result !== undefined ? result : moduleObject.exports;
}
