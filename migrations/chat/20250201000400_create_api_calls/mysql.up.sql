-- 20250201000400_create_api_calls: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `api_calls` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'Call record unique identifier',
    `user_id` bigint NOT NULL COMMENT 'User ID who initiated the call',
    `conversation_id` bigint COMMENT 'Associated conversation ID',
    `message_id` bigint COMMENT 'Associated message ID',
    `model_name` varchar(100) NOT NULL COMMENT 'AI model name called',
    `api_endpoint` varchar(255) NOT NULL COMMENT 'API endpoint',
    `request_content` longtext COMMENT 'Request content',
    `response_content` longtext COMMENT 'Response content',
    `status_code` smallint COMMENT 'HTTP status code',
    `request_tokens` int DEFAULT 0 COMMENT 'Tokens used in request',
    `response_tokens` int DEFAULT 0 COMMENT 'Tokens used in response',
    `total_tokens` int DEFAULT 0 COMMENT 'Total tokens',
    `call_duration` int COMMENT 'Call duration (milliseconds)',
    `client_ip` varchar(45) COMMENT 'Client IP address',
    `user_agent` text COMMENT 'User agent information',
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'Creation time',
    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
    FOREIGN KEY (`conversation_id`) REFERENCES `conversations` (`id`) ON DELETE SET NULL,
    FOREIGN KEY (`message_id`) REFERENCES `messages` (`id`) ON DELETE SET NULL,
    INDEX `idx_user_id` (`user_id`),
    INDEX `idx_model_name` (`model_name`),
    INDEX `idx_created_at` (`created_at`),
    INDEX `idx_user_model_date` (`user_id`, `model_name`, `created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='API call records table';
