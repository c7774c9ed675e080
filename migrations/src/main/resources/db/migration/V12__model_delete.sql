-- A deleted model keeps its row (usage rows, invoices and the audit log name it, and its versions' files stay for
-- audit) but leaves the catalogue: its versions are RETIRED, and its name is free for a new model. Names are
-- therefore unique among the models not deleted only. A worker that reports a version by name is matched to the
-- live model's version with the same file (sha256), so a version of the deleted model still loaded somewhere is
-- never taken for the new model's version of the same number.
ALTER TABLE models ADD COLUMN deleted_at timestamptz;
ALTER TABLE models DROP CONSTRAINT models_name_key;
CREATE UNIQUE INDEX models_name_live ON models (name) WHERE deleted_at IS NULL;
