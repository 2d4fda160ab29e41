import type { CursorPosition } from '../protocol/messages';

/**
 * Rows of a list remembered at their positions, so a deep startIndex page can start from one instead of from the top.
 *
 * Why: `LIMIT 100 OFFSET n` steps over n index entries, so an import that walks every page by startIndex (Okta's
 * does) costs O(n²) in all, and the last page of 100,000 users took 80 ms. Each startIndex page served remembers the
 * row just before it and its own last row; the next page, or the same page asked again, continues after the
 * remembered row by keyset (keyset-pagination.ts) and steps over nothing. And a list of 2,000 or more is walked once
 * per version, after a request read its total, remembering every SAMPLE_SPACING-th row (paged-query.ts), so that a
 * deep page asked for the first time, at any depth, steps over fewer than SAMPLE_SPACING entries.
 *
 * When a remembered position holds: only while the organisation's rows in that table are the same ones. Inserts and
 * deletes shift positions; every one of them adds to the organisation's `changes` (organisation-row-counts.ts), in
 * its own transaction, on whichever instance made it, and that version is read with the page's total. A list's
 * anchors are kept for one version only and dropped when it moves on. Updates never move a row in the one order that
 * is anchored, the default (creation time, then id), as neither ever changes. The version and the page are two
 * statements: a create or delete that commits between them can shift that page by the rows it added or removed, as
 * it can shift any startIndex page read while the list changes (RFC 7644 promises no consistency between pages);
 * the next page reads the new version.
 *
 * Pure and in memory, per process: a cache of what this instance saw, never the truth. Bounded: MAX_LISTS lists
 * (the least recently used goes first) of at most MAX_ANCHORS_PER_LIST positions each, about 200 bytes apiece.
 */
export interface Anchor {
  /** Zero-based position in the list. */
  readonly position: number;
  /** The row at that position, as a keyset position to continue after. */
  readonly row: CursorPosition;
}

const MAX_LISTS = 64;
const MAX_ANCHORS_PER_LIST = 4_096;

/**
 * Rows a sampling walk of a list remembers: every SAMPLE_SPACING-th (positions 999, 1999, …). A page then starts
 * at most this many index entries after a remembered row. 100 rows for a list of 100,000.
 */
export const SAMPLE_SPACING = 1_000;

/** A list changing all the time (an identity provider writing) is walked at most this often. */
const MIN_SAMPLING_INTERVAL_MS = 10_000;

interface AnchoredList {
  readonly version: number;
  /** By position, ascending. */
  readonly anchors: Anchor[];
}

export class PositionAnchors {
  private readonly lists = new Map<string, AnchoredList>();
  /** Per list, the version last walked (or being walked) and when that walk began. */
  private readonly walks = new Map<string, { readonly version: number; readonly startedAt: number }>();

  /**
   * Whether to walk the list at this version now, remembering every SAMPLE_SPACING-th row (paged-query.ts). Yes at
   * most once per version, and not again within MIN_SAMPLING_INTERVAL_MS of the last walk; a yes counts as the walk.
   */
  claimWalk(list: string, version: number, now: number): boolean {
    const last = this.walks.get(list);
    if (last !== undefined && (last.version >= version || now - last.startedAt < MIN_SAMPLING_INTERVAL_MS)) return false;
    this.walks.delete(list);
    this.walks.set(list, { version, startedAt: now });
    if (this.walks.size > MAX_LISTS) this.walks.delete(this.walks.keys().next().value as string);
    return true;
  }

  /** The anchor nearest at or before `position` in the list at this version, if one is known. */
  nearest(list: string, version: number, position: number): Anchor | undefined {
    const known = this.lists.get(list);
    if (known === undefined || known.version !== version) return undefined;
    // Most recently used last, so the least recently used is the first to go.
    this.lists.delete(list);
    this.lists.set(list, known);
    const { anchors } = known;
    let low = 0;
    let high = anchors.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (anchors[middle].position <= position) low = middle + 1;
      else high = middle;
    }
    return low > 0 ? anchors[low - 1] : undefined;
  }

  /** Remembers the row at a position of the list at this version; a new version starts the list afresh. */
  remember(list: string, version: number, anchor: Anchor): void {
    let known = this.lists.get(list);
    // A slower request that read an older version: what it saw can never be asked for again.
    if (known !== undefined && version < known.version) return;
    if (known === undefined || known.version !== version) {
      // An older version's anchors can never match again: the version only grows.
      this.lists.delete(list);
      known = { version, anchors: [] };
      this.lists.set(list, known);
      if (this.lists.size > MAX_LISTS) this.lists.delete(this.lists.keys().next().value as string);
    }
    const { anchors } = known;
    // Thinned to every other position when full, so a walk past the bound still finds one near wherever it is.
    if (anchors.length >= MAX_ANCHORS_PER_LIST) anchors.splice(0, anchors.length, ...anchors.filter((_, index) => index % 2 === 1));
    let index = anchors.length;
    while (index > 0 && anchors[index - 1].position >= anchor.position) index--;
    if (anchors[index]?.position === anchor.position) anchors[index] = anchor;
    else anchors.splice(index, 0, anchor);
  }
}
