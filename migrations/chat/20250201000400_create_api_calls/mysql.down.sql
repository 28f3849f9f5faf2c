-- 20250201000400_create_api_calls: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table api_calls with its rows
DROP TABLE `api_calls`;
