-- +goose Up
-- Telemetry is stored one row per machine and refresh (a batch of readings) instead of one row
-- per reading: a refresh of 1,000 machines at 10 readings each writes 1,000 rows, not 10,000.
-- Batches older than the latest TelemetryRing readings are pruned.
DROP TABLE telemetry_readings;
CREATE TABLE telemetry_batches (
    machine_id  TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    last_seq    INTEGER NOT NULL,                   -- sequence number of the batch's last reading
    n           INTEGER NOT NULL,                   -- readings in the batch
    batch       TEXT NOT NULL,                      -- JSON: {"sensors","times","cycles","values"} (see store/telemetry.go)
    PRIMARY KEY (machine_id, last_seq)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE telemetry_batches;
CREATE TABLE telemetry_readings (
    machine_id  TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    slot        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    ts          TEXT NOT NULL,
    cycle       INTEGER NOT NULL,
    readings    TEXT NOT NULL,
    PRIMARY KEY (machine_id, slot)
) WITHOUT ROWID;
CREATE INDEX telemetry_readings_seq ON telemetry_readings(machine_id, seq);
