-- Claiming due jobs in order (status, run_at, id) from the index alone: a worker takes them a batch
-- at a time, and a mailing queues thousands with one due moment.
CREATE INDEX jobs_claim ON jobs(status, run_at, id);
DROP INDEX jobs_due;
