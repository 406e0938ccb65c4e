-- +goose Up
-- The five tables of the plan (machines, gan_training_jobs, predictions, explanations,
-- model_versions) with UUID keys, plus the generic jobs table, machine workflow stages and settings.
-- Timestamps are RFC 3339 UTC text. JSON columns hold JSON text.

CREATE TABLE machines (
    id            TEXT PRIMARY KEY,                -- UUID
    machine_id    TEXT NOT NULL UNIQUE CHECK (length(machine_id) BETWEEN 3 AND 100),
    machine_type  TEXT NOT NULL,
    manufacturer  TEXT NOT NULL DEFAULT '',
    model         TEXT NOT NULL DEFAULT '',
    site          TEXT NOT NULL DEFAULT '',
    line          TEXT NOT NULL DEFAULT '',
    metadata_path TEXT NOT NULL DEFAULT '',         -- profile file inside the data dir
    profile_json  TEXT NOT NULL DEFAULT '{}',
    -- VLM hooks, owned by the external VLM team (docs/vlm-contract.md); nullable until they land.
    vlm_metadata  TEXT NULL,                        -- JSON: reference images, inspection points
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Workflow stage of each machine: profile → seed → trained → synthetic → validated → models.
CREATE TABLE machine_stages (
    machine_id  TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    stage       TEXT NOT NULL CHECK (stage IN ('profile','seed','trained','synthetic','validated','models')),
    state       TEXT NOT NULL CHECK (state IN ('pending','running','done','failed')),
    detail      TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (machine_id, stage)
);

-- Generic persistent jobs (our Celery).
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,                  -- UUID
    kind         TEXT NOT NULL,
    machine_id   TEXT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','cancelled','interrupted')),
    stage        TEXT NOT NULL DEFAULT '',
    progress     REAL NOT NULL DEFAULT 0,
    eta_seconds  REAL NULL,
    metrics      TEXT NOT NULL DEFAULT '{}',
    params       TEXT NOT NULL DEFAULT '{}',
    result       TEXT NULL,
    error        TEXT NOT NULL DEFAULT '',
    owner_pid    INTEGER NOT NULL DEFAULT 0,        -- process running it, for crash recovery
    heartbeat_at TEXT NULL,
    created_at   TEXT NOT NULL,
    started_at   TEXT NULL,
    finished_at  TEXT NULL
);
CREATE INDEX jobs_status ON jobs(status);
CREATE INDEX jobs_created ON jobs(created_at DESC);
CREATE INDEX jobs_machine ON jobs(machine_id);

CREATE TABLE gan_training_jobs (
    id           TEXT PRIMARY KEY,                  -- UUID
    machine_id   TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    job_id       TEXT NULL REFERENCES jobs(id) ON DELETE SET NULL,
    epochs       INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','running','completed','failed','cancelled','interrupted')),
    loss_history TEXT NOT NULL DEFAULT '[]',
    started_at   TEXT NULL,
    completed_at TEXT NULL
);
CREATE INDEX gan_training_jobs_machine ON gan_training_jobs(machine_id);

CREATE TABLE model_versions (
    id          TEXT PRIMARY KEY,                   -- UUID
    machine_id  TEXT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    model_type  TEXT NOT NULL,                      -- classification | rul | anomaly | forecast
    version     TEXT NOT NULL,
    file_path   TEXT NOT NULL,
    metrics     TEXT NOT NULL DEFAULT '{}',
    trained_at  TEXT NOT NULL,
    is_active   INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0,1))
);
CREATE INDEX model_versions_machine ON model_versions(machine_id, model_type);
-- At most one active version per machine and task.
CREATE UNIQUE INDEX model_versions_one_active ON model_versions(machine_id, model_type) WHERE is_active = 1;

CREATE TABLE predictions (
    id                TEXT PRIMARY KEY,             -- UUID
    machine_id        TEXT NOT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    prediction_type   TEXT NOT NULL,                -- classification | rul | anomaly | forecast
    model_version_id  TEXT NULL REFERENCES model_versions(id) ON DELETE SET NULL,
    input_data        TEXT NOT NULL DEFAULT '{}',
    prediction_result TEXT NOT NULL DEFAULT '{}',
    confidence        REAL NULL,
    inference_ms      REAL NULL,
    -- VLM hook (external owner, docs/vlm-contract.md): an image embedding attached to a prediction.
    vlm_embedding       BLOB NULL,                  -- little-endian float32 vector
    vlm_embedding_model TEXT NULL,
    timestamp         TEXT NOT NULL
);
CREATE INDEX predictions_machine_time ON predictions(machine_id, timestamp DESC);

CREATE TABLE explanations (
    id               TEXT PRIMARY KEY,              -- UUID
    prediction_id    TEXT NULL REFERENCES predictions(id) ON DELETE CASCADE,
    machine_id       TEXT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    explanation_text TEXT NOT NULL,
    recommendations  TEXT NOT NULL DEFAULT '[]',
    created_at       TEXT NOT NULL
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE explanations;
DROP TABLE predictions;
DROP TABLE model_versions;
DROP TABLE gan_training_jobs;
DROP TABLE jobs;
DROP TABLE machine_stages;
DROP TABLE machines;
