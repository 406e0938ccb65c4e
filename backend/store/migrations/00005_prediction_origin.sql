-- +goose Up
-- Who asked for a logged prediction: 'user' (Models.Predict, the CLI, the UI's Run prediction)
-- or 'refresh' (the live fleet's scheduled refresh). Only refresh rows are pruned, so the
-- predictions an engineer asked for stay in the log. Rows logged before this migration cannot be
-- told apart; they count as refresh rows and are pruned as before.
ALTER TABLE predictions ADD COLUMN origin TEXT NOT NULL DEFAULT 'refresh' CHECK (origin IN ('user', 'refresh'));

-- +goose Down
ALTER TABLE predictions DROP COLUMN origin;
