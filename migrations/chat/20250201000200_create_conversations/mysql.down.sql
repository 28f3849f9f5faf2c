-- 20250201000200_create_conversations: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table conversations with its rows
DROP TABLE `conversations`;
