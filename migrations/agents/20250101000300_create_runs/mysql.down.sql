-- 20250101000300_create_runs: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table runs with its rows
DROP TABLE `runs`;
