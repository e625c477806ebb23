// Small interaction helpers over Grafana UI components, by the ids and labels
// of src/selectors.ts.
import assert from 'node:assert/strict';

import ids from '../shell/test-ids.json' with { type: 'json' };

/** escapeRegExp makes a literal string usable in a RegExp. */
export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** fieldLabel is a field's option and chip label in the field picker: "<long name> (<source>, <aggregation>)". */
export function fieldLabel(f) {
  return `${f.longName || f.baseField} (${[f.source, f.aggregation].filter(Boolean).join(', ')})`;
}

/** fieldOptionName matches a field's option in the field picker. */
export function fieldOptionName(f) {
  return new RegExp(`^${escapeRegExp(fieldLabel(f))}`);
}

/** entityOptionName matches a site or component option (its description carries "#<id>"). */
export function entityOptionName(name, id) {
  return new RegExp(`${escapeRegExp(name)}.*#${id}\\b`);
}

/**
 * comboboxInput is the text input of the Combobox or MultiCombobox with this
 * id. Grafana 13's MultiCombobox also gives its option checkboxes the same
 * id, so the id alone is not unique there.
 */
export function comboboxInput(page, inputId) {
  return page.locator(`input#${inputId}[role="combobox"]`);
}

/** pickOption types search into a Combobox input and clicks the option whose name matches. */
export async function pickOption(page, inputId, search, optionName) {
  const input = comboboxInput(page, inputId);
  await input.click();
  await input.fill(search);
  const option = page.getByRole('option', { name: optionName }).first();
  await option.waitFor({ state: 'visible', timeout: 15000 });
  await option.click();
}

/** pickMultiOption picks one option of a MultiCombobox, then clears the search text and closes the menu. */
export async function pickMultiOption(page, inputId, search, optionName) {
  await pickOption(page, inputId, search, optionName);
  await comboboxInput(page, inputId).fill('');
  await page.keyboard.press('Escape');
}

/** queryModel reads the query model JSON the page shows. */
export async function queryModel(page) {
  return JSON.parse(await page.getByTestId(ids.queryModel).textContent());
}

/**
 * waitForModel returns the query model once check(model) is true: it checks
 * the model the page shows, then waits for the page to show another one (no
 * fixed sleeps), until timeoutMs have passed without a match.
 */
export async function waitForModel(page, check, what, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  const shown = page.getByTestId(ids.queryModel);
  for (;;) {
    const text = await shown.textContent();
    const model = JSON.parse(text);
    if (check(model)) {
      return model;
    }
    const left = deadline - Date.now();
    const changed =
      left > 0 &&
      (await page
        .waitForFunction(([id, prev]) => document.querySelector(`[data-testid="${id}"]`)?.textContent !== prev, [ids.queryModel, text], {
          timeout: left,
        })
        .then(() => true)
        .catch(() => false));
    if (!changed) {
      assert.fail(`query model never ${what} within ${timeoutMs / 1000}s; last: ${text}`);
    }
  }
}

/** runQuery clicks Run query and waits for a new finished run; returns {state, rows, errors}. */
export async function runQuery(page) {
  const state = page.getByTestId(ids.queryState);
  const before = Number((await state.getAttribute('data-runs')) ?? 0);
  await page.getByTestId(ids.runQuery).click();
  await page.waitForFunction(
    ([testId, n]) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      return el && Number(el.getAttribute('data-runs')) > n && el.getAttribute('data-state') !== 'Loading';
    },
    [ids.queryState, before],
    { timeout: 60000 }
  );
  return readResult(page);
}

/** readResult returns the result the page shows: state, series rows and errors. */
export async function readResult(page) {
  const state = await page.getByTestId(ids.queryState).getAttribute('data-state');
  const rows = await page.getByTestId(ids.seriesRow).evaluateAll((els) =>
    els.map((el) => ({
      name: el.getAttribute('data-name'),
      points: Number(el.getAttribute('data-points')),
      nonNull: Number(el.getAttribute('data-non-null')),
    }))
  );
  const errors = await page.getByTestId(ids.queryError).allTextContents();
  return { state, rows, errors };
}

/**
 * fillSecret types a secret into a SecretInput; when the secret is already
 * configured (input disabled, "configured"), it clicks Reset first, as a user would.
 */
export async function fillSecret(page, inputId, value) {
  const input = page.locator(`#${inputId}`);
  if (await input.isDisabled()) {
    await input.locator('xpath=ancestor::*[.//button][1]').getByRole('button', { name: 'Reset' }).click();
  }
  await input.fill(value);
}

/** saveAndTest clicks Save & test and waits for this attempt's result: {severity, message}. */
export async function saveAndTest(page, buttonTestId) {
  const result = page.getByTestId(ids.testResult);
  const before = (await result.count()) > 0 ? Number(await result.getAttribute('data-attempt')) : -1;
  await page.getByTestId(buttonTestId).click();
  await page.waitForFunction(
    ([testId, n]) => {
      const el = document.querySelector(`[data-testid="${testId}"]`);
      return el && Number(el.getAttribute('data-attempt')) > n;
    },
    [ids.testResult, before],
    { timeout: 30000 }
  );
  return { severity: await result.getAttribute('data-severity'), message: (await result.textContent()).trim() };
}

/**
 * typeAndEnter is the keyboard path of a Combobox: focus, type search key by
 * key, wait until the first option matches firstOption, press Enter (which
 * takes the first real match), then Tab away. Returns the first option's text.
 */
export async function typeAndEnter(page, inputId, search, firstOption) {
  const input = page.locator(`#${inputId}`);
  // Focus and replace the box's text: typing opens the menu with this search only.
  await input.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await input.pressSequentially(search, { delay: 40 }); // key by key, as a person types
  const first = page.getByRole('option').first();
  await first.waitFor({ state: 'visible', timeout: 15000 });
  await page.waitForFunction(
    ([re, flags]) => new RegExp(re, flags).test(document.querySelector('[role="option"]')?.textContent ?? ''),
    [firstOption.source, firstOption.flags],
    { timeout: 15000 }
  );
  const text = await first.textContent();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  return text;
}

/**
 * typeArrowEnter is the keyboard path of a MultiCombobox (which highlights
 * nothing until an arrow key): type search, wait for an option matching
 * optionName, ArrowDown to the first option, Enter.
 */
export async function typeArrowEnter(page, inputId, search, optionName) {
  const input = page.locator(`#${inputId}`);
  await input.focus();
  await input.fill('');
  await input.pressSequentially(search, { delay: 40 }); // key by key, as a person types
  await page.getByRole('option', { name: optionName }).first().waitFor({ state: 'visible', timeout: 15000 });
  await page.waitForFunction(
    ([re, flags]) => new RegExp(re, flags).test(document.querySelector('[role="option"]')?.textContent ?? ''),
    [optionName.source, optionName.flags],
    { timeout: 15000 }
  );
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}
