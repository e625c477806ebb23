/** Interaction helpers for the real @grafana/ui Combobox/MultiCombobox in jsdom. */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { computeAccessibleName } from 'dom-accessibility-api';

import { FakeBackend } from './fakeBackend';

/** typeInto sets a combobox's search text in one step (typing key by key re-renders for every character). */
export function typeInto(input: HTMLElement, text: string) {
  fireEvent.focus(input);
  fireEvent.click(input);
  fireEvent.change(input, { target: { value: text } });
}

/** openCombobox opens a combobox's menu without typing. */
export function openCombobox(input: HTMLElement) {
  fireEvent.focus(input);
  fireEvent.click(input);
}

/** optionText is an option's text with whitespace collapsed. */
function optionText(el: Element): string {
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * accessibleName is dom-accessibility-api's computeAccessibleName (what
 * testing-library's *ByRole name option uses) with jsdom's getComputedStyle
 * memoised for this one computation: it asks for the same ancestors' styles
 * over and over, and each jsdom call matches every CSS rule. Nothing changes
 * the DOM during the computation, so the memo gives the same answer.
 */
function accessibleName(el: Element): string {
  const memo = new Map<Element, CSSStyleDeclaration>();
  const view = el.ownerDocument.defaultView!;
  return computeAccessibleName(el, {
    getComputedStyle: (node: Element, pseudo?: string | null) => {
      if (pseudo) {
        return view.getComputedStyle(node, pseudo);
      }
      let style = memo.get(node);
      if (!style) {
        style = view.getComputedStyle(node);
        memo.set(node, style);
      }
      return style;
    },
  });
}

/**
 * comboboxNamed is the Combobox/MultiCombobox input whose accessible name is
 * label, like screen.getByRole('combobox', { name: label }) without the
 * accessible-name computation of every element in the page. Throws when there
 * is none or more than one.
 */
export function comboboxNamed(label: string): HTMLElement {
  const all = Array.from(document.querySelectorAll<HTMLElement>('[role="combobox"]'));
  const named = all.filter((el) => nameMatches(accessibleName(el), label));
  if (named.length !== 1) {
    throw new Error(
      `${named.length} comboboxes named "${label}"; comboboxes: ${all.map((el) => `"${accessibleName(el)}"`).join(', ') || 'none'}`
    );
  }
  return named[0];
}

/** nameMatches applies a testing-library name matcher: a string is the whole name, a RegExp is tested on it. */
function nameMatches(accessibleName: string, name: string | RegExp): boolean {
  const normal = accessibleName.replace(/\s+/g, ' ').trim();
  return typeof name === 'string' ? normal === name : name.test(normal);
}

/**
 * findOption resolves with the option whose accessible name matches name,
 * like screen.findByRole('option', { name }), but cheaply: findByRole
 * computes the accessible name of every option (a jsdom style cascade per
 * node) on each DOM change, which made the editor tests crawl on a busy
 * machine. Here each wait step (on DOM changes, no fixed sleep) reads the
 * options' texts and computes the accessible name only of those whose text
 * could carry it.
 */
export async function findOption(name: string | RegExp, timeout = 20_000): Promise<HTMLElement> {
  const couldMatch = (el: Element) =>
    typeof name === 'string' ? optionText(el).includes(name) : name.test(optionText(el));
  return waitFor(
    () => {
      const options = Array.from(document.querySelectorAll<HTMLElement>('[role="option"]'));
      const found = options.filter(couldMatch).find((el) => nameMatches(accessibleName(el), name));
      if (!found) {
        throw new Error(`no option named ${name}; options: ${options.map(optionText).join(' | ') || 'none'}`);
      }
      return found;
    },
    { timeout }
  );
}

/** chooseOption waits for an option and clicks it. */
export async function chooseOption(name: string | RegExp) {
  const option = await findOption(name);
  await act(async () => {
    fireEvent.click(option);
  });
}

/** optionNames lists the visible options' accessible names. */
export function optionNames(): string[] {
  return screen.queryAllByRole('option').map((o) => o.textContent ?? '');
}

/**
 * settle waits, inside act, until the fake backend has delivered every answer
 * asked for so far (an event, not a fixed time), then lets one more task run
 * so the renders those answers cause land.
 */
export async function settle() {
  await act(async () => {
    await FakeBackend.current?.idle();
    await new Promise((r) => setTimeout(r, 0));
  });
}

export { waitFor };

/** openOptions opens a query's collapsed "Options" row (legend, granularity, zone). */
export async function openOptions() {
  const toggle = await screen.findByRole('button', { name: /^Options/ });
  if (toggle.getAttribute('aria-expanded') !== 'true') {
    fireEvent.click(toggle);
  }
}
