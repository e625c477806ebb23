/** Hooks shared by the editors: cancellable resource loading. */
import { DependencyList, useCallback, useEffect, useRef, useState } from 'react';

import { isAbortError, resourceErrorMessage } from '../resources';

/** ResourceState is what useResource returns. */
export interface ResourceState<T> {
  value?: T;
  loading: boolean;
  error?: string;
}

/**
 * useResource runs a loader whenever deps change, aborting the previous run and
 * the last one on unmount. A loader returning undefined means "nothing to load".
 */
export function useResource<T>(
  loader: (signal: AbortSignal) => Promise<T> | undefined,
  deps: DependencyList
): ResourceState<T> {
  const [state, setState] = useState<ResourceState<T>>({ loading: false });
  useEffect(() => {
    const controller = new AbortController();
    const pending = loader(controller.signal);
    // Resetting state when the inputs change is the point of this hook.
    if (!pending) {
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setState({ loading: false });
      return () => controller.abort();
    }
    setState((s) => ({ value: s.value, loading: true }));
    pending.then(
      (value) => {
        if (!controller.signal.aborted) {
          setState({ value, loading: false });
        }
      },
      (err) => {
        if (!controller.signal.aborted && !isAbortError(err)) {
          setState({ loading: false, error: resourceErrorMessage(err) });
        }
      }
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/**
 * useUnmountSignal gives async option loaders (Combobox) a signal that aborts
 * when the editor unmounts. It returns a stable getter so a remount (React
 * strict mode) gets a fresh controller.
 */
export function useUnmountSignal(): () => AbortSignal {
  const ref = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    ref.current = controller;
    return () => controller.abort();
  }, []);
  return useCallback(() => {
    if (!ref.current) {
      ref.current = new AbortController();
    }
    return ref.current.signal;
  }, []);
}
