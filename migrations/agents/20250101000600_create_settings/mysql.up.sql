-- 20250101000600_create_settings: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `settings` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `user_id` bigint,
    `key` varchar(100) NOT NULL,
    `value` json NOT NULL,
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (`user_id`, `key`),
    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    INDEX `idx_settings_user_key` (`user_id`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
