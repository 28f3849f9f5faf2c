-- 20250201000100_create_users: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table users with its rows
DROP TABLE "users";
