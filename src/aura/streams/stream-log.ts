// The stream log's conventions (the StreamLog port itself is in ../ports).

/** The entry that stands for the final `data: [DONE]` (never sent as an event). */
export const DONE_ENTRY = '__done';

/** An append refused because the run's lease is no longer this process's. */
export class FencedError extends Error {
  constructor(message = 'the run is driven by another instance now') {
    super(message);
    this.name = 'FencedError';
  }
}
