-- +goose Up
-- The assistant: persisted chat sessions and their messages, and the structured parts of an
-- explanation (the explanations table of 00001 holds the summary text and recommendations).

CREATE TABLE chat_sessions (
    id          TEXT PRIMARY KEY,                   -- UUID
    machine_id  TEXT NULL REFERENCES machines(machine_id) ON DELETE CASCADE ON UPDATE CASCADE,
    title       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX chat_sessions_updated ON chat_sessions(updated_at DESC);
CREATE INDEX chat_sessions_machine ON chat_sessions(machine_id);

CREATE TABLE chat_messages (
    id          TEXT PRIMARY KEY,                   -- UUID
    session_id  TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('system','user','assistant')),
    content     TEXT NOT NULL,
    sources     TEXT NOT NULL DEFAULT '[]',         -- JSON: [{"document","section"}]
    created_at  TEXT NOT NULL
);
CREATE INDEX chat_messages_session ON chat_messages(session_id, created_at);

ALTER TABLE explanations ADD COLUMN risk_factors TEXT NOT NULL DEFAULT '[]';  -- JSON: ["…"]
ALTER TABLE explanations ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';       -- JSON: [{"document","section"}]
ALTER TABLE explanations ADD COLUMN generator TEXT NOT NULL DEFAULT '';       -- model name, or "structured (no language model loaded)"
CREATE INDEX explanations_machine_time ON explanations(machine_id, created_at DESC);

-- +goose Down
DROP INDEX explanations_machine_time;
ALTER TABLE explanations DROP COLUMN generator;
ALTER TABLE explanations DROP COLUMN sources;
ALTER TABLE explanations DROP COLUMN risk_factors;
DROP TABLE chat_messages;
DROP TABLE chat_sessions;
