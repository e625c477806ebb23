import fs from 'fs';
import os from 'os';
import path from 'path';
import process from 'process';

import { SOURCE_DIR } from './constants.ts';

/** isWSL tells whether webpack runs under Windows Subsystem for Linux (file watching needs polling there). */
export function isWSL() {
  if (process.platform !== 'linux') {
    return false;
  }
  if (os.release().toLowerCase().includes('microsoft')) {
    return true;
  }
  try {
    return fs.readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft');
  } catch {
    return false;
  }
}

function loadJson(file: string) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** getPackageJson reads the repository's package.json. */
export function getPackageJson() {
  return loadJson(path.resolve(process.cwd(), 'package.json'));
}

/** PLUGIN_JSON_PATH: unlike the create-plugin template, plugin.json lives at the repository root. */
export const PLUGIN_JSON_PATH = path.resolve(process.cwd(), 'plugin.json');

/** getPluginJson reads the root plugin.json, failing with a clear message when it is missing. */
export function getPluginJson() {
  if (!fs.existsSync(PLUGIN_JSON_PATH)) {
    throw new Error(
      `plugin.json not found at ${PLUGIN_JSON_PATH}: the plugin's metadata must live at the repository root`
    );
  }
  return loadJson(PLUGIN_JSON_PATH);
}

/** getCPConfigVersion is the create-plugin version these configs follow. */
export function getCPConfigVersion() {
  const cprcJson = path.resolve(process.cwd(), '.config', '.cprc.json');
  return fs.existsSync(cprcJson) ? loadJson(cprcJson).version : 'unknown';
}

/** getEntries is the single entry point: src/module.ts. */
export function getEntries(): Record<string, string> {
  return { module: path.resolve(process.cwd(), SOURCE_DIR, 'module.ts') };
}
