-- 20250201000000_prelude: postgres, down
-- runs in one transaction
DROP FUNCTION IF EXISTS "set_updated_at"();
