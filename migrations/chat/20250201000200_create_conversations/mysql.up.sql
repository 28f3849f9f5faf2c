-- 20250201000200_create_conversations: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `conversations` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Conversation unique identifier',
    `user_id` bigint NOT NULL COMMENT 'Associated user ID',
    `title` varchar(255) COMMENT 'Conversation title',
    `model_name` varchar(100) NOT NULL COMMENT 'AI model name used',
    `status` tinyint DEFAULT 1 COMMENT 'Conversation status: 1-in progress, 0-ended',
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'Creation time',
    `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'Update time',
    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    INDEX `idx_user_id` (`user_id`),
    INDEX `idx_created_at` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Conversation history table';
