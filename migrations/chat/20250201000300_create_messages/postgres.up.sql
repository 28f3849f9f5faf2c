-- 20250201000300_create_messages: postgres, up
-- runs in one transaction
CREATE TYPE "messages_role" AS ENUM ('user', 'assistant', 'system');
--> statement-breakpoint
CREATE TYPE "messages_content_type" AS ENUM ('text', 'image_url', 'video_url');
--> statement-breakpoint
CREATE TABLE "messages" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "conversation_id" uuid NOT NULL REFERENCES "conversations" ("id") ON DELETE CASCADE,
    "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "role" "messages_role" NOT NULL,
    "content_type" "messages_content_type" DEFAULT 'text' NOT NULL,
    "content" jsonb NOT NULL,
    "status" smallint DEFAULT 1,
    "created_at" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_messages_conversation_id" ON "messages" ("conversation_id");
--> statement-breakpoint
CREATE INDEX "idx_messages_user_id" ON "messages" ("user_id");
--> statement-breakpoint
CREATE INDEX "idx_messages_created_at" ON "messages" ("created_at");
--> statement-breakpoint
COMMENT ON TABLE "messages" IS 'Conversation messages table';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."id" IS 'Message unique identifier';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."conversation_id" IS 'Associated conversation ID';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."user_id" IS 'User ID who sent the message';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."role" IS 'Message role: user-user, assistant-AI assistant, system-system';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."content_type" IS 'Content type';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."content" IS 'Message content (stored in JSON format)';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."status" IS 'Message status: 1-active, 0-deleted';
--> statement-breakpoint
COMMENT ON COLUMN "messages"."created_at" IS 'Creation time';
