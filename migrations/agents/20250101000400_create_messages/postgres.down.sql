-- 20250101000400_create_messages: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table messages with its rows
DROP TABLE "messages";
