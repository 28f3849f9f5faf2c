-- 20250101000300_create_runs: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table runs with its rows
DROP TABLE "runs";
