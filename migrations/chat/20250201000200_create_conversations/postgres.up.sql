-- 20250201000200_create_conversations: postgres, up
-- runs in one transaction
CREATE TABLE "conversations" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "title" varchar(255),
    "model_name" varchar(100) NOT NULL,
    "status" smallint DEFAULT 1,
    "created_at" timestamptz DEFAULT now(),
    "updated_at" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_conversations_user_id" ON "conversations" ("user_id");
--> statement-breakpoint
CREATE INDEX "idx_conversations_created_at" ON "conversations" ("created_at");
--> statement-breakpoint
COMMENT ON TABLE "conversations" IS 'Conversation history table';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."id" IS 'Conversation unique identifier';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."user_id" IS 'Associated user ID';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."title" IS 'Conversation title';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."model_name" IS 'AI model name used';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."status" IS 'Conversation status: 1-in progress, 0-ended';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."created_at" IS 'Creation time';
--> statement-breakpoint
COMMENT ON COLUMN "conversations"."updated_at" IS 'Update time';
--> statement-breakpoint
CREATE TRIGGER "trg_conversations_updated_at" BEFORE UPDATE ON "conversations" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
