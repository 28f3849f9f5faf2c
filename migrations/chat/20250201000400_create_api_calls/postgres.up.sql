-- 20250201000400_create_api_calls: postgres, up
-- runs in one transaction
CREATE TABLE "api_calls" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    "user_id" uuid NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
    "conversation_id" uuid REFERENCES "conversations" ("id") ON DELETE SET NULL,
    "message_id" uuid REFERENCES "messages" ("id") ON DELETE SET NULL,
    "model_name" varchar(100) NOT NULL,
    "api_endpoint" varchar(255) NOT NULL,
    "request_content" text,
    "response_content" text,
    "status_code" smallint,
    "request_tokens" integer DEFAULT 0,
    "response_tokens" integer DEFAULT 0,
    "total_tokens" integer DEFAULT 0,
    "call_duration" integer,
    "client_ip" varchar(45),
    "user_agent" text,
    "created_at" timestamptz DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX "idx_api_calls_user_id" ON "api_calls" ("user_id");
--> statement-breakpoint
CREATE INDEX "idx_api_calls_model_name" ON "api_calls" ("model_name");
--> statement-breakpoint
CREATE INDEX "idx_api_calls_created_at" ON "api_calls" ("created_at");
--> statement-breakpoint
CREATE INDEX "idx_api_calls_user_model_date" ON "api_calls" ("user_id", "model_name", "created_at");
--> statement-breakpoint
CREATE INDEX "idx_api_calls_conversation_id" ON "api_calls" ("conversation_id");
--> statement-breakpoint
CREATE INDEX "idx_api_calls_message_id" ON "api_calls" ("message_id");
--> statement-breakpoint
COMMENT ON TABLE "api_calls" IS 'API call records table';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."id" IS 'Call record unique identifier';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."user_id" IS 'User ID who initiated the call';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."conversation_id" IS 'Associated conversation ID';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."message_id" IS 'Associated message ID';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."model_name" IS 'AI model name called';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."api_endpoint" IS 'API endpoint';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."request_content" IS 'Request content';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."response_content" IS 'Response content';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."status_code" IS 'HTTP status code';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."request_tokens" IS 'Tokens used in request';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."response_tokens" IS 'Tokens used in response';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."total_tokens" IS 'Total tokens';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."call_duration" IS 'Call duration (milliseconds)';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."client_ip" IS 'Client IP address';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."user_agent" IS 'User agent information';
--> statement-breakpoint
COMMENT ON COLUMN "api_calls"."created_at" IS 'Creation time';
