// Reads a Parquet file with hyparquet (an independent, pure-JavaScript Parquet reader) and
// prints its schema, key-value metadata, codecs and rows as one JSON document on stdout.
// Used by TestParquetInteropHyparquet in backend/datasets. Usage: node read.mjs FILE
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const file = await asyncBufferFromFile(process.argv[2])
const metadata = await parquetMetadataAsync(file)
const schema = parquetSchema(metadata)
const rows = await parquetReadObjects({ file, compressors })

// JSON has no BigInt or Date: tag them so the Go side can compare exactly.
const enc = (v) => {
  if (typeof v === 'bigint') return { int: v.toString() }
  if (v instanceof Date) return { ms: v.getTime() }
  return v
}

const out = {
  num_rows: Number(metadata.num_rows),
  columns: schema.children.map((c) => ({
    name: c.element.name,
    type: c.element.type,
    logical: c.element.logical_type?.type ?? null,
    repetition: c.element.repetition_type,
  })),
  codecs: [...new Set(metadata.row_groups.flatMap((rg) => rg.columns.map((c) => c.meta_data.codec)))],
  kv: Object.fromEntries((metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value])),
  rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, enc(v)]))),
}
process.stdout.write(JSON.stringify(out))
