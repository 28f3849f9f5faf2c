-- 20250101000400_create_messages: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `messages` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
    `run_id` bigint NOT NULL,
    `sender` varchar(100) NOT NULL,
    `content` text NOT NULL,
    `message_type` varchar(20) NOT NULL DEFAULT 'text',
    `metadata` json,
    `timestamp` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`) ON DELETE CASCADE,
    INDEX `idx_messages_run_id` (`run_id`),
    INDEX `idx_messages_timestamp` (`timestamp`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
