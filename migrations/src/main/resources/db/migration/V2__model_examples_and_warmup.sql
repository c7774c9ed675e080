-- A model version's example request (Open Inference Protocol JSON, registered by an admin) and the answer it gave
-- when the platform ran it, both shown on the model card; and how the version was warmed up at upload:
-- EXAMPLE (the example ran), ZEROS (zero-filled inputs ran) or SKIPPED (zeros failed; warmup_reason says why).
ALTER TABLE model_versions
    ADD COLUMN example_request  jsonb,
    ADD COLUMN example_response jsonb,
    ADD COLUMN warmup_status    varchar(16) NOT NULL DEFAULT 'ZEROS'
               CHECK (warmup_status IN ('EXAMPLE', 'ZEROS', 'SKIPPED')),
    ADD COLUMN warmup_reason    text,
    ADD CHECK ((example_request IS NULL) = (example_response IS NULL));
