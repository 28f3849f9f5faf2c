-- 20250101000400_create_messages: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table messages with its rows
DROP TABLE `messages`;
