/** Interaction helpers for the real @grafana/ui Combobox/MultiCombobox in jsdom. */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';

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

/** chooseOption waits for an option and clicks it. */
export async function chooseOption(name: string | RegExp) {
  const option = await screen.findByRole('option', { name }, { timeout: 20_000 });
  await act(async () => {
    fireEvent.click(option);
  });
}

/** optionNames lists the visible options' accessible names. */
export function optionNames(): string[] {
  return screen.queryAllByRole('option').map((o) => o.textContent ?? '');
}

/** settle lets the fake backend's answers (next tick) and the resulting renders land. */
export async function settle(ms = 50) {
  await act(async () => {
    await new Promise((r) => setTimeout(r, ms));
  });
}

export { waitFor };
