-- 20250201000100_create_users: postgres, up
-- runs in one transaction
CREATE TABLE "users" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "username" varchar(50) NOT NULL UNIQUE,
    "email" varchar(100) NOT NULL UNIQUE,
    "password_hash" varchar(255) NOT NULL,
    "nickname" varchar(100),
    "avatar_url" varchar(500),
    "phone" varchar(20),
    "status" smallint DEFAULT 1,
    "created_at" timestamptz DEFAULT now(),
    "updated_at" timestamptz DEFAULT now(),
    "last_login_at" timestamptz
);
--> statement-breakpoint
COMMENT ON TABLE "users" IS 'User information table';
--> statement-breakpoint
COMMENT ON COLUMN "users"."id" IS 'User unique identifier';
--> statement-breakpoint
COMMENT ON COLUMN "users"."username" IS 'Username';
--> statement-breakpoint
COMMENT ON COLUMN "users"."email" IS 'Email address';
--> statement-breakpoint
COMMENT ON COLUMN "users"."password_hash" IS 'Password hash value';
--> statement-breakpoint
COMMENT ON COLUMN "users"."nickname" IS 'User nickname';
--> statement-breakpoint
COMMENT ON COLUMN "users"."avatar_url" IS 'Avatar URL';
--> statement-breakpoint
COMMENT ON COLUMN "users"."phone" IS 'Phone number';
--> statement-breakpoint
COMMENT ON COLUMN "users"."status" IS 'User status: 1-active, 0-disabled';
--> statement-breakpoint
COMMENT ON COLUMN "users"."created_at" IS 'Creation time';
--> statement-breakpoint
COMMENT ON COLUMN "users"."updated_at" IS 'Update time';
--> statement-breakpoint
COMMENT ON COLUMN "users"."last_login_at" IS 'Last login time';
--> statement-breakpoint
CREATE TRIGGER "trg_users_updated_at" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"();
