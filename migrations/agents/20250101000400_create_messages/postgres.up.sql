-- 20250101000400_create_messages: postgres, up
-- runs in one transaction
CREATE TABLE "messages" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "run_id" uuid NOT NULL REFERENCES "runs" ("id") ON DELETE CASCADE,
    "sender" varchar(100) NOT NULL,
    "content" text NOT NULL,
    "message_type" varchar(20) DEFAULT 'text' NOT NULL,
    "metadata" jsonb,
    "timestamp" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_messages_run_id" ON "messages" ("run_id");
--> statement-breakpoint
CREATE INDEX "idx_messages_timestamp" ON "messages" ("timestamp");
