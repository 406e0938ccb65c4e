// Helpers of the machine page.

/** The index of the last present (non-null, finite) value, or -1. */
export function lastIndex(values: readonly (number | null | undefined)[]): number {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return i;
  }
  return -1;
}
