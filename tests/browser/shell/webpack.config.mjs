// Webpack config of the grafana shell bundle (test tooling): the modules
// Grafana shares with plugins plus the small page that hosts the plugin.
// Not minified (speed), production mode (React and @grafana/* production paths).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import webpack from 'webpack';

import { installedVersion } from '../runtimes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Returns the webpack configuration writing shell.js into outDir, with the
 * shared modules of runtime r (tests/browser/runtimes.mjs): every bare import,
 * the shell's and the packages' own, resolves in r.modules' order, so one
 * React and one @grafana/* of that release line end up in the bundle.
 */
export function shellConfig(root, outDir, r) {
  const grafanaVersion = installedVersion(r, '@grafana/ui');
  return {
    mode: 'production',
    context: here,
    entry: { shell: ['./boot.js', './index.js'] },
    output: { path: outDir, filename: '[name].js', publicPath: '/shell/', clean: true },
    devtool: false,
    target: 'web',
    optimization: { minimize: false, splitChunks: false, runtimeChunk: false },
    module: {
      rules: [
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(woff2?|ttf|eot|svg|png|jpe?g|gif)$/, type: 'asset/resource' },
      ],
    },
    resolve: {
      modules: r.modules,
      extensions: ['.js', '.mjs', '.json'],
      // @grafana/ui's legacy slate QueryField imports it but npm does not install it
      // (an undeclared dependency of slate-react); the Locus editors do not use QueryField.
      alias: { 'slate-react-placeholder': false },
    },
    resolveLoader: { modules: [path.join(root, 'node_modules')] },
    plugins: [
      // boot.js reports it as Grafana's buildInfo.version (config.buildInfo.version).
      new webpack.DefinePlugin({ __GRAFANA_VERSION__: JSON.stringify(grafanaVersion) }),
    ],
    performance: { hints: false },
    cache: {
      type: 'filesystem',
      name: `shell-${r.name}`,
      cacheDirectory: path.join(root, 'tests', '.artifacts', 'browser', 'webpack-cache'),
    },
    infrastructureLogging: { level: 'warn' },
    stats: 'errors-warnings',
  };
}
