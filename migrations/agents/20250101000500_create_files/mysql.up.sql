-- 20250101000500_create_files: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `files` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `run_id` bigint NOT NULL,
    `name` varchar(255) NOT NULL,
    `path` varchar(500) NOT NULL,
    `size` bigint NOT NULL,
    `content_type` varchar(100),
    `file_hash` varchar(64),
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`) ON DELETE CASCADE,
    INDEX `idx_files_run_id` (`run_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
