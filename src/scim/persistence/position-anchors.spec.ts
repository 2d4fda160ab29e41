import { PositionAnchors, type Anchor } from './position-anchors';

const at = (position: number): Anchor => ({
  position,
  row: { direction: 'after', key: `2026-01-01T00:00:00.${String(position % 1000).padStart(3, '0')}Z`, id: `id-${position}` },
});

describe('PositionAnchors', () => {
  it('finds the nearest remembered position at or before the one asked for, at the same version only', () => {
    const anchors = new PositionAnchors();
    for (const position of [1999, 999, 1099, 4999]) anchors.remember('users acme', 7, at(position));
    expect(anchors.nearest('users acme', 7, 998)).toBeUndefined();
    expect(anchors.nearest('users acme', 7, 999)).toEqual(at(999));
    expect(anchors.nearest('users acme', 7, 1098)).toEqual(at(999));
    expect(anchors.nearest('users acme', 7, 1100)).toEqual(at(1099));
    expect(anchors.nearest('users acme', 7, 4998)).toEqual(at(1999));
    expect(anchors.nearest('users acme', 7, 99_999)).toEqual(at(4999));
    expect(anchors.nearest('users acme', 8, 1100)).toBeUndefined();
    expect(anchors.nearest('users globex', 7, 1100)).toBeUndefined();
  });

  it('starts a list afresh at a new version: positions of the old one are never used again', () => {
    const anchors = new PositionAnchors();
    anchors.remember('users acme', 1, at(1099));
    anchors.remember('users acme', 2, at(1999));
    expect(anchors.nearest('users acme', 2, 1500)).toBeUndefined();
    expect(anchors.nearest('users acme', 2, 2000)).toEqual(at(1999));
    expect(anchors.nearest('users acme', 1, 1500)).toBeUndefined();
  });

  it('ignores what a slower request saw at an older version', () => {
    const anchors = new PositionAnchors();
    anchors.remember('users acme', 2, at(1999));
    anchors.remember('users acme', 1, at(1099));
    expect(anchors.nearest('users acme', 2, 2000)).toEqual(at(1999));
    expect(anchors.nearest('users acme', 1, 1100)).toBeUndefined();
  });

  it('replaces the row at a position remembered twice', () => {
    const anchors = new PositionAnchors();
    anchors.remember('users acme', 1, at(1099));
    const again: Anchor = { position: 1099, row: { direction: 'after', key: '2026-01-02T00:00:00.000Z', id: 'other' } };
    anchors.remember('users acme', 1, again);
    expect(anchors.nearest('users acme', 1, 1099)).toEqual(again);
  });

  it('keeps a bounded number of lists, dropping the least recently used', () => {
    const anchors = new PositionAnchors();
    for (let list = 0; list < 64; list++) anchors.remember(`list ${list}`, 1, at(1000));
    expect(anchors.nearest('list 0', 1, 1000)).toEqual(at(1000)); // used: now the most recent
    anchors.remember('list 64', 1, at(1000));
    expect(anchors.nearest('list 1', 1, 1000)).toBeUndefined();
    expect(anchors.nearest('list 0', 1, 1000)).toEqual(at(1000));
    expect(anchors.nearest('list 64', 1, 1000)).toEqual(at(1000));
  });

  it('thins a full list to every other position, so positions past the bound are still remembered', () => {
    const anchors = new PositionAnchors();
    for (let position = 0; position < 5_000; position++) anchors.remember('users acme', 1, at(position));
    expect(anchors.nearest('users acme', 1, 4_999)).toEqual(at(4_999));
    expect(anchors.nearest('users acme', 1, 4_200)).toEqual(at(4_200));
    const thinned = anchors.nearest('users acme', 1, 2_000);
    expect(thinned?.position).toBeGreaterThanOrEqual(1_998);
    expect(thinned?.position).toBeLessThanOrEqual(2_000);
  });

  it('lets a list be walked once per version, and not again within ten seconds', () => {
    const anchors = new PositionAnchors();
    expect(anchors.claimWalk('users acme', 3, 0)).toBe(true);
    expect(anchors.claimWalk('users acme', 3, 60_000)).toBe(false);
    expect(anchors.claimWalk('users acme', 2, 60_000)).toBe(false);
    expect(anchors.claimWalk('users acme', 4, 9_999)).toBe(false);
    expect(anchors.claimWalk('users acme', 4, 10_000)).toBe(true);
    expect(anchors.claimWalk('users globex', 4, 10_000)).toBe(true);
  });
});
