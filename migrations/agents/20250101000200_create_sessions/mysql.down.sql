-- 20250101000200_create_sessions: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table sessions with its rows
DROP TABLE `sessions`;
