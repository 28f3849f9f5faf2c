-- 20250101000200_create_sessions: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table sessions with its rows
DROP TABLE "sessions";
