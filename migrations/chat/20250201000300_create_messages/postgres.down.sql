-- 20250201000300_create_messages: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table messages with its rows
DROP TABLE "messages";
--> statement-breakpoint
DROP TYPE "messages_role";
--> statement-breakpoint
DROP TYPE "messages_content_type";
