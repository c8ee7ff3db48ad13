// AWS's limits and Standard workflow price, for the cost and size view.

/** AWS's limit on history events per execution. */
export const maxHistoryEvents = 25000;
/** AWS's limit on an input or output payload, in bytes (256 KiB). */
export const maxPayloadBytes = 256 * 1024;
/** AWS's Standard price per state transition in USD ($0.025 per 1,000). */
export const pricePerTransition = 0.025 / 1000;
/** State transitions in AWS's free tier per month. */
export const freeTierTransitions = 4000;

export interface Cost {
  transitions: number;
  events: number;
  usd: number;
  eventsShare: number;
}

/** The cost of a Standard execution of this many transitions and events. */
export function cost(transitions: number, events: number): Cost {
  return {
    transitions,
    events,
    usd: transitions * pricePerTransition,
    eventsShare: events / maxHistoryEvents,
  };
}

/** Bytes of a text in UTF-8. */
export function utf8Bytes(s: string | undefined): number {
  return s ? new TextEncoder().encode(s).length : 0;
}
