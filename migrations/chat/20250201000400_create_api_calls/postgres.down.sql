-- 20250201000400_create_api_calls: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table api_calls with its rows
DROP TABLE "api_calls";
