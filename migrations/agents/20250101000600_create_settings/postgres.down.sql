-- 20250101000600_create_settings: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table settings with its rows
DROP TABLE "settings";
