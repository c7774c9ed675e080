-- A worker that deregisters (SIGTERM drain) keeps its row as GONE: usage rows name the worker that served them
-- (usage_records.worker_id), and an operator reading a month's calls should still find that worker's name and URL.
-- Its placements and assignments still go at once, and a GONE row takes no calls and no heartbeats.
ALTER TABLE workers DROP CONSTRAINT IF EXISTS workers_status_check;
ALTER TABLE workers ADD CONSTRAINT workers_status_check CHECK (status IN ('UP', 'DOWN', 'GONE'));
