-- 20250101000300_create_runs: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `runs` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `session_id` bigint NOT NULL,
    `user_id` bigint NOT NULL,
    `task` text NOT NULL,
    `status` varchar(20) NOT NULL DEFAULT 'running',
    `config` json,
    `result` json,
    `usage_statistics` json,
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    `completed_at` timestamp NULL,
    FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE CASCADE,
    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    INDEX `idx_runs_session_id` (`session_id`),
    INDEX `idx_runs_user_id` (`user_id`),
    INDEX `idx_runs_status` (`status`),
    INDEX `idx_runs_created_at` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
