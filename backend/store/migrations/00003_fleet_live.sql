-- +goose Up
-- Live fleet: the telemetry each machine receives (a bounded ring of its latest readings and
-- where its replay stands) and the alerts raised on its predictions.

-- The latest readings of each machine. A reading with sequence number seq lives in slot
-- seq % ring size, so the ring stays bounded without deletes; order by seq to read it.
CREATE TABLE telemetry_readings (
    machine_id  TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    slot        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,                   -- increasing per machine
    ts          TEXT NOT NULL,                      -- RFC 3339 UTC time the reading arrived
    cycle       INTEGER NOT NULL,                   -- row of the telemetry source it came from
    readings    TEXT NOT NULL,                      -- JSON: {"sensor": value|null}
    PRIMARY KEY (machine_id, slot)
) WITHOUT ROWID;
CREATE INDEX telemetry_readings_seq ON telemetry_readings(machine_id, seq);

-- Where each machine's telemetry comes from and how far its replay has got.
CREATE TABLE telemetry_sources (
    machine_id  TEXT PRIMARY KEY REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('test','seed','import')),
    path        TEXT NOT NULL DEFAULT '',           -- file inside the data dir (imports)
    position    INTEGER NOT NULL DEFAULT 0,         -- next source row to replay
    rows        INTEGER NOT NULL DEFAULT 0,         -- rows in the source
    seq         INTEGER NOT NULL DEFAULT 0,         -- last reading's sequence number
    updated_at  TEXT NOT NULL
);

-- Alerts raised on predictions: one open (active or acknowledged) alert per machine and cause.
CREATE TABLE alerts (
    id              TEXT PRIMARY KEY,               -- UUID
    machine_id      TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    cause           TEXT NOT NULL CHECK (cause IN ('state','anomaly','rul')),
    severity        TEXT NOT NULL CHECK (severity IN ('warning','critical')),
    message         TEXT NOT NULL,
    factors         TEXT NOT NULL DEFAULT '[]',     -- JSON: [{"feature","sensor","contribution"}]
    state           TEXT NOT NULL CHECK (state IN ('active','acknowledged','cleared')),
    value           REAL NULL,                      -- the value that raised it (state, score, RUL hours)
    threshold       REAL NULL,
    raised_at       TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    acknowledged_at TEXT NULL,
    acknowledged_by TEXT NULL,
    cleared_at      TEXT NULL,
    cleared_by      TEXT NULL,                      -- '' when the condition went away by itself
    ok_refreshes    INTEGER NOT NULL DEFAULT 0      -- consecutive refreshes without the condition
);
CREATE UNIQUE INDEX alerts_one_open ON alerts(machine_id, cause) WHERE state <> 'cleared';
CREATE INDEX alerts_raised ON alerts(raised_at DESC);
CREATE INDEX alerts_machine ON alerts(machine_id, raised_at DESC);

-- +goose Down
DROP TABLE alerts;
DROP TABLE telemetry_sources;
DROP TABLE telemetry_readings;
