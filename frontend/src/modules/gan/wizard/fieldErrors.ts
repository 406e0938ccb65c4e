import type { FieldError } from '../../../bridge';

/** Field errors by path ("machine_id", "sensors[2].unit"), with lookups for form fields. */
export class FieldErrors {
  readonly list: FieldError[];
  private readonly byField: Map<string, string>;
  constructor(list: FieldError[] = []) {
    this.list = list;
    this.byField = new Map();
    for (const f of list) {
      const prev = this.byField.get(f.field);
      this.byField.set(f.field, prev ? `${prev}; ${f.message}` : f.message);
    }
  }
  /** The message for exactly this field. */
  get(field: string): string | undefined {
    return this.byField.get(field);
  }
  /** Whether any error sits at or under this path (e.g. "sensors[2]"). */
  under(prefix: string): boolean {
    return this.list.some((f) => f.field === prefix || f.field.startsWith(`${prefix}.`) || f.field.startsWith(`${prefix}[`));
  }
  /** Errors whose field is not one of the shown ones (for the summary list). */
  except(shown: (field: string) => boolean): FieldError[] {
    return this.list.filter((f) => !shown(f.field));
  }
  get size(): number {
    return this.list.length;
  }
}

/** Readable name of a field path: "sensors[2].normal_max" → "Sensor 3 · normal max". */
export function describeField(path: string, sensorNames: string[] = []): string {
  return path
    .replace(/^sensors\[(\d+)\]/, (_, i: string) => `Sensor ${sensorNames[Number(i)] ? `"${sensorNames[Number(i)]}"` : Number(i) + 1}`)
    .replace(/^regimes\[(\d+)\]/, (_, i: string) => `Regime ${Number(i) + 1}`)
    .replace(/^failure_modes\[(\d+)\]/, (_, i: string) => `Failure mode ${Number(i) + 1}`)
    .replace(/\.effects\[(\d+)\]/, (_, i: string) => ` · effect ${Number(i) + 1}`)
    .replace(/\./g, ' · ')
    .replace(/_/g, ' ');
}
