-- 20250201000200_create_conversations: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table conversations with its rows
DROP TABLE "conversations";
