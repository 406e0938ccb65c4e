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

/** Readable name of a field path: "sensors[2].normal_max" → 'Sensor "bearing_temp" · normal max'. */
export function describeField(path: string, sensorNames: string[] = []): string {
  const m = /^(sensors|regimes|failure_modes)\[(\d+)\](.*)$/.exec(path);
  const words = (s: string) =>
    s
      .replace(/\.effects\[(\d+)\]/g, (_, i: string) => `.effect ${Number(i) + 1}`)
      .split('.')
      .filter(Boolean)
      .map((x) => x.replace(/_/g, ' '))
      .join(' · ');
  if (!m) return words(path);
  const i = Number(m[2]);
  const head =
    m[1] === 'sensors' ? `Sensor ${sensorNames[i] ? `"${sensorNames[i]}"` : i + 1}` : m[1] === 'regimes' ? `Regime ${i + 1}` : `Failure mode ${i + 1}`;
  const rest = words(m[3] ?? '');
  return rest ? `${head} · ${rest}` : head;
}
