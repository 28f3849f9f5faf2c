-- 20250201000300_create_messages: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `messages` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Message unique identifier',
    `conversation_id` bigint NOT NULL COMMENT 'Associated conversation ID',
    `user_id` bigint NOT NULL COMMENT 'User ID who sent the message',
    `role` enum('user','assistant','system') NOT NULL COMMENT 'Message role: user-user, assistant-AI assistant, system-system',
    `content_type` enum('text','image_url','video_url') NOT NULL DEFAULT 'text' COMMENT 'Content type',
    `content` text NOT NULL COMMENT 'Message content (stored in JSON format)',
    `status` tinyint DEFAULT 1 COMMENT 'Message status: 1-active, 0-deleted',
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'Creation time',
    FOREIGN KEY (`conversation_id`) REFERENCES `conversations` (`id`) ON DELETE CASCADE,
    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    INDEX `idx_conversation_id` (`conversation_id`),
    INDEX `idx_user_id` (`user_id`),
    INDEX `idx_created_at` (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Conversation messages table';
