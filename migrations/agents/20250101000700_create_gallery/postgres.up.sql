-- 20250101000700_create_gallery: postgres, up
-- runs in one transaction
CREATE TABLE "gallery" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "run_id" uuid REFERENCES "runs" ("id") ON DELETE CASCADE,
    "title" varchar(255) NOT NULL,
    "description" text,
    "file_paths" text[],
    "tags" text[],
    "created_at" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_gallery_user_id" ON "gallery" ("user_id");
