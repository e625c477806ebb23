// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { configure } from '@testing-library/react';

// jsdom has no canvas; @grafana/ui's Combobox measures option text with one.
// Approximate each character as 8px so menus get a width.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return {
    font: '',
    measureText: (text) => ({ width: String(text).length * 8 }),
  };
};

// jsdom implements neither observer; the Combobox menu uses both.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.ResizeObserver = global.ResizeObserver || NoopObserver;
global.IntersectionObserver = global.IntersectionObserver || NoopObserver;

// jsdom lays nothing out, so every element measures 0x0 and the Combobox's
// virtualised list renders no rows. Give elements a fixed box (as Grafana's own
// Combobox tests do) so an open menu shows its first options.
Object.defineProperty(Element.prototype, 'getBoundingClientRect', {
  configurable: true,
  value: () => ({ width: 400, height: 600, top: 0, left: 0, bottom: 600, right: 400, x: 0, y: 0, toJSON: () => ({}) }),
});
for (const [prop, value] of [
  ['clientHeight', 600],
  ['clientWidth', 400],
  ['offsetHeight', 600],
  ['offsetWidth', 400],
]) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
}

// The real @grafana/ui renders slowly on a busy machine; give findBy*/waitFor room.
configure({ asyncUtilTimeout: 20000 });
