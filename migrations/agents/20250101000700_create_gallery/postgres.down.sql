-- 20250101000700_create_gallery: postgres, down
-- runs in one transaction
-- DATA LOSS: drops table gallery with its rows
DROP TABLE "gallery";
