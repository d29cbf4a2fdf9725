/**
 * Lines of a plain-text table: the header and rows, each column padded to its widest cell and
 * separated by two spaces (the list verbs print their rows this way).
 *
 * @example
 * textTable(['id', 'scope'], [['k1', 'admin']]); // ['id  scope', 'k1  admin']
 */
export function textTable(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
