/**
 * Files copied into dist/ next to module.js. Paths are relative to src/ (the
 * webpack context). Root-level files are optional so a partial checkout still
 * builds; plugin.json is required (getPluginJson fails first without it).
 */
export const copyFilePatterns = [
  { from: '../plugin.json', to: '.' },
  { from: '../README.md', to: '.', noErrorOnMissing: true },
  { from: '../CHANGELOG.md', to: '.', noErrorOnMissing: true },
  { from: '../LICENSE', to: '.', noErrorOnMissing: true },
  { from: 'img/*', to: '.', noErrorOnMissing: true },
  { from: 'dashboards/*', to: '.', noErrorOnMissing: true },
];
