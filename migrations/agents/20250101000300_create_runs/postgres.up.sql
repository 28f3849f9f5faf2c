-- 20250101000300_create_runs: postgres, up
-- runs in one transaction
CREATE TABLE "runs" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "session_id" uuid NOT NULL REFERENCES "sessions" ("id") ON DELETE CASCADE,
    "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "task" text NOT NULL,
    "status" varchar(20) DEFAULT 'running' NOT NULL,
    "config" jsonb,
    "result" jsonb,
    "usage_statistics" jsonb,
    "created_at" timestamptz DEFAULT now(),
    "updated_at" timestamptz DEFAULT now(),
    "completed_at" timestamptz
);
--> statement-breakpoint
CREATE INDEX "idx_runs_session_id" ON "runs" ("session_id");
--> statement-breakpoint
CREATE INDEX "idx_runs_user_id" ON "runs" ("user_id");
--> statement-breakpoint
CREATE INDEX "idx_runs_status" ON "runs" ("status");
--> statement-breakpoint
CREATE INDEX "idx_runs_created_at" ON "runs" ("created_at");
