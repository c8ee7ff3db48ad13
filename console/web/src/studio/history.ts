// Undo and redo over definition texts. Texts, not parsed documents, are
// kept, so undo restores exactly what was there, Code-mode formatting too.

export interface History {
  past: readonly string[];
  present: string;
  future: readonly string[];
}

/** At most this many steps are kept. */
export const limit = 200;

export const start = (text: string): History => ({ past: [], present: text, future: [] });

/**
 * Records text as the new present. With merge, it replaces the present
 * instead (typing in Code mode is one step per pause, not per key).
 */
export function record(h: History, text: string, merge = false): History {
  if (text === h.present) return h;
  if (merge && h.past.length > 0) return { past: h.past, present: text, future: [] };
  return { past: [...h.past, h.present].slice(-limit), present: text, future: [] };
}

export function undo(h: History): History {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
