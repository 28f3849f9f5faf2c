-- 20250101000500_create_files: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table files with its rows
DROP TABLE `files`;
