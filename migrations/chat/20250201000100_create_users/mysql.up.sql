-- 20250201000100_create_users: mysql, up
-- MySQL commits DDL as it goes: progress is recorded after each statement, and a re-run resumes there
CREATE TABLE `users` (
    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'User unique identifier',
    `username` varchar(50) NOT NULL UNIQUE COMMENT 'Username',
    `email` varchar(100) NOT NULL UNIQUE COMMENT 'Email address',
    `password_hash` varchar(255) NOT NULL COMMENT 'Password hash value',
    `nickname` varchar(100) COMMENT 'User nickname',
    `avatar_url` varchar(500) COMMENT 'Avatar URL',
    `phone` varchar(20) COMMENT 'Phone number',
    `status` tinyint DEFAULT 1 COMMENT 'User status: 1-active, 0-disabled',
    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'Creation time',
    `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'Update time',
    `last_login_at` timestamp NULL COMMENT 'Last login time'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='User information table';
