-- 20250101000700_create_gallery: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `gallery` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `user_id` bigint NOT NULL,
    `run_id` bigint,
    `title` varchar(255) NOT NULL,
    `description` text,
    `file_paths` json,
    `tags` json,
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`) ON DELETE CASCADE,
    INDEX `idx_gallery_user_id` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
