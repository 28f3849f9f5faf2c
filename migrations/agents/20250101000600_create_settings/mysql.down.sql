-- 20250101000600_create_settings: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table settings with its rows
DROP TABLE `settings`;
