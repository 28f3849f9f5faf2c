-- 20250201000100_create_users: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table users with its rows
DROP TABLE `users`;
