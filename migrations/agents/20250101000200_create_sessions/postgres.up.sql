-- 20250101000200_create_sessions: postgres, up
-- runs in one transaction
CREATE TABLE "sessions" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "title" varchar(255) NOT NULL,
    "config" jsonb,
    "created_at" timestamptz DEFAULT now(),
    "updated_at" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_sessions_user_id" ON "sessions" ("user_id");
