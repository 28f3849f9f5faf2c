-- 20250101000700_create_gallery: mysql, down
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
-- DATA LOSS: drops table gallery with its rows
DROP TABLE `gallery`;
