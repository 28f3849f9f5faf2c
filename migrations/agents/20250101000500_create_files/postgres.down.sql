-- 20250101000500_create_files: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table files with its rows
DROP TABLE "files";
