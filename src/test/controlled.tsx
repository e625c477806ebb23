/** A stateful host for a controlled editor, like Grafana's: what the editor hands to onChange comes back as its value. */
import { render } from '@testing-library/react';
import React, { ReactElement, useState } from 'react';

/**
 * renderControlled renders editor(value, onChange) from initial, feeding every
 * change back and recording it; last() is the latest change.
 */
export function renderControlled<T>(initial: T, editor: (value: T, onChange: (next: T) => void) => ReactElement) {
  const changes: T[] = [];
  function Host() {
    const [value, setValue] = useState(initial);
    return editor(value, (next) => {
      changes.push(next);
      setValue(next);
    });
  }
  const utils = render(<Host />);
  return { changes, last: () => changes[changes.length - 1], ...utils };
}
