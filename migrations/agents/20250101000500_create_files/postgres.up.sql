-- 20250101000500_create_files: postgres, up
-- runs in one transaction
CREATE TABLE "files" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "run_id" uuid NOT NULL REFERENCES "runs" ("id") ON DELETE CASCADE,
    "name" varchar(255) NOT NULL,
    "path" varchar(500) NOT NULL,
    "size" bigint NOT NULL,
    "content_type" varchar(100),
    "file_hash" varchar(64),
    "created_at" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_files_run_id" ON "files" ("run_id");
