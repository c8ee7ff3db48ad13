// A line diff of two texts (longest common subsequence), for showing what
// an update changes before it is saved.

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
  /** Line numbers in the old and new text (1-based; absent on the other side). */
  a?: number;
  b?: number;
}

/**
 * Diffs old and new line by line. Common prefix and suffix are matched
 * first, so the quadratic table only covers the changed middle.
 */
export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  // lcs[i][j]: the LCS length of am[i:] and bm[j:].
  const lcs: Uint32Array[] = Array.from({ length: am.length + 1 }, () => new Uint32Array(bm.length + 1));
  for (let i = am.length - 1; i >= 0; i--) {
    for (let j = bm.length - 1; j >= 0; j--) {
      lcs[i][j] = am[i] === bm[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  for (let k = 0; k < pre; k++) out.push({ op: ' ', text: a[k], a: k + 1, b: k + 1 });
  let i = 0;
  let j = 0;
  while (i < am.length || j < bm.length) {
    if (i < am.length && j < bm.length && am[i] === bm[j]) {
      out.push({ op: ' ', text: am[i], a: pre + i + 1, b: pre + j + 1 });
      i++;
      j++;
    } else if (i < am.length && (j === bm.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: '-', text: am[i], a: pre + i + 1 });
      i++;
    } else {
      out.push({ op: '+', text: bm[j], b: pre + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < suf; k++) {
    out.push({ op: ' ', text: a[a.length - suf + k], a: a.length - suf + k + 1, b: b.length - suf + k + 1 });
  }
  return out;
}

/** Only the changed lines with `context` unchanged lines around them; null marks a gap. */
export function hunks(lines: DiffLine[], context = 3): (DiffLine | null)[] {
  const keep = new Array(lines.length).fill(false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: (DiffLine | null)[] = [];
  lines.forEach((l, i) => {
    if (keep[i]) out.push(l);
    else if (out.length > 0 && out[out.length - 1] !== null && keep.slice(i).some(Boolean)) out.push(null);
  });
  return out;
}
