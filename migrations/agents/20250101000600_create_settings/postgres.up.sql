-- 20250101000600_create_settings: postgres, up
-- runs in one transaction
CREATE TABLE "settings" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "user_id" uuid REFERENCES "users" ("id") ON DELETE CASCADE,
    "key" varchar(100) NOT NULL,
    "value" jsonb NOT NULL,
    "created_at" timestamptz DEFAULT now(),
    "updated_at" timestamptz DEFAULT now(),
    UNIQUE ("user_id", "key")
);
--> statement-breakpoint
CREATE INDEX "idx_settings_user_key" ON "settings" ("user_id", "key");
